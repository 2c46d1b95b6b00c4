"""Install (or check) what the book build needs beyond the dev set-up.

* Python: the ``book`` extra of pyproject.toml (Sphinx, myst-nb, ...), by pip;
* Debian: TeX for the PDF, Chromium and its driver for the browser tests,
  rsvg-convert for SVG figures in the PDF, poppler for page images;
* MathJax 3, from the npm registry, copied to ``.venv/share/d2l-book``
  (the site serves it from ``_static``, so it works offline).
"""
import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import pathlib

from . import MATHJAX, ROOT

DEBIAN = ['latexmk', 'texlive-xetex', 'texlive-latex-recommended',
          'texlive-latex-extra', 'texlive-fonts-recommended',
          'fonts-freefont-otf', 'librsvg2-bin', 'poppler-utils',
          'chromium', 'chromium-driver']
MODULES = ['sphinx', 'myst_nb', 'sphinxcontrib.bibtex', 'sphinx_copybutton',
           'sphinx_book_theme', 'sphinxcontrib.rsvgconverter', 'selenium',
           'pypdf', 'jupyterlab_myst']
PROGRAMS = {'xelatex': 'texlive-xetex', 'latexmk': 'latexmk',
            'rsvg-convert': 'librsvg2-bin', 'pdftoppm': 'poppler-utils',
            'chromium': 'chromium', 'chromedriver': 'chromium-driver'}
MATHJAX_SPEC = 'mathjax@3'
# the parts of MathJax's es5 build the site loads (startup file, fonts,
# TeX extensions it autoloads, the menu and its accessibility parts)
MATHJAX_PARTS = ['tex-chtml.js', 'input', 'output/chtml', 'ui', 'a11y', 'sre',
                 'adaptors']


def missing():
    """Names of what is not installed, with the package that provides it."""
    out = []
    for mod in MODULES:
        try:
            found = importlib.util.find_spec(mod) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            out.append(f'python module {mod} (pip: the book extra)')
    for prog, pkg in PROGRAMS.items():
        if shutil.which(prog) is None:
            out.append(f'program {prog} (Debian: {pkg})')
    if not (MATHJAX / 'tex-chtml.js').exists():
        out.append(f'MathJax in {MATHJAX} (npm: {MATHJAX_SPEC})')
    return out


def install_python():
    subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '-e',
                    f'{ROOT}[book]'], check=True)


def install_debian():
    sudo = [] if os.geteuid() == 0 else ['sudo']
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    subprocess.run(sudo + ['apt-get', 'update', '-q'], check=True, env=env)
    subprocess.run(sudo + ['apt-get', 'install', '-y', '-q',
                           '-o', 'DPkg::Lock::Timeout=600',
                           '--no-install-recommends', *DEBIAN],
                   check=True, env=env, stdout=subprocess.DEVNULL)


def install_mathjax(dest=MATHJAX):
    """Fetch the MathJax npm package and copy its browser build to `dest`."""
    if (dest / 'tex-chtml.js').exists():
        return
    npm = shutil.which('npm')
    if npm is None:
        raise SystemExit('npm is needed once to fetch MathJax (apt-get install npm)')
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([npm, 'pack', '--silent', MATHJAX_SPEC], cwd=tmp,
                       check=True, stdout=subprocess.DEVNULL)
        tgz = next(pathlib.Path(tmp).glob('mathjax-*.tgz'))
        with tarfile.open(tgz) as tar:
            try:
                tar.extractall(tmp, filter='data')
            except TypeError:          # Python without extraction filters
                tar.extractall(tmp)
        es5 = pathlib.Path(tmp) / 'package' / 'es5'
        staging = dest.with_name(dest.name + '.tmp')
        shutil.rmtree(staging, ignore_errors=True)
        for part in MATHJAX_PARTS:
            src = es5 / part
            if src.is_dir():
                shutil.copytree(src, staging / part)
            elif src.exists():
                (staging / part).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, staging / part)
        shutil.copy2(pathlib.Path(tmp) / 'package' / 'LICENSE', staging / 'LICENSE')
        shutil.rmtree(dest, ignore_errors=True)
        staging.rename(dest)


def main(check=False):
    if check:
        gone = missing()
        for item in gone:
            print(f'missing: {item}')
        print('book dependencies: ' + ('incomplete' if gone else 'all present'))
        return 1 if gone else 0
    install_python()
    install_debian()
    install_mathjax()
    gone = missing()
    for item in gone:
        print(f'still missing: {item}', file=sys.stderr)
    return 1 if gone else 0
