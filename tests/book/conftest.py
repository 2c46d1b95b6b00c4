"""Fixtures of the book tests (``make book-test``): the built site, a browser.

These tests need what ``make book-deps`` installs (Sphinx, TeX, Chromium and
its driver), so they run only when D2L_BOOK_TESTS=1, which the book-test
target sets; ``make unit`` does not collect them. Artifacts a person can
look at (a page screenshot, a rendered PDF page) are kept in
``_build/test-artifacts``.
"""
import os
import pathlib
import shutil
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools'))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

if os.environ.get('D2L_BOOK_TESTS') != '1':
    collect_ignore_glob = ['test_*.py']

ARTIFACTS = ROOT / '_build' / 'test-artifacts'
CHROME_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
                '--no-first-run', '--disable-background-networking',
                '--disable-component-update', '--disable-sync',
                '--window-size=1280,900']


@pytest.fixture(scope='session')
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope='session')
def site():
    """The real book's HTML site, built (incrementally) from the notebooks."""
    import build_book
    assert build_book.main(['html']) == 0
    return ROOT / '_build' / 'html'


@pytest.fixture(scope='session')
def browser(tmp_path_factory):
    """Headless Debian Chromium driven by Selenium, with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which('chromium') or '/usr/bin/chromium'
    for flag in CHROME_FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium')}")
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    driver = webdriver.Chrome(
        service=Service(shutil.which('chromedriver') or '/usr/bin/chromedriver'),
        options=opts)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def pytest_configure(config):
    # sphinx-book-theme uses an API that Sphinx 11 will remove; not ours to fix
    config.addinivalue_line(
        'filterwarnings', 'ignore:.*HandleFootnoteTransform.app.*:DeprecationWarning')
    config.addinivalue_line(
        'filterwarnings', 'ignore:.*HandleFootnoteTransform.app.*:PendingDeprecationWarning')
