"""tools/figure_svg.py, and the promise it makes: every committed figure
that a script in chapters/<chapter>/img/ draws is exactly what it draws."""
import concurrent.futures
import os
import pathlib
import shutil
import subprocess
import sys
import xml.dom.minidom

import pytest

import figure_svg

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPTS = sorted(ROOT.glob('chapters/*/img/*.py'))


def test_document_is_valid_svg_with_title_and_desc():
    text = figure_svg.document(120, 40, 'A & B', ['<rect width="5"/>'],
                               'two <boxes>', escape_text=True)
    dom = xml.dom.minidom.parseString(text)
    svg = dom.documentElement
    assert svg.getAttribute('viewBox') == '0 0 120 40'
    assert svg.getElementsByTagName('title')[0].firstChild.data == 'A & B'
    assert svg.getElementsByTagName('desc')[0].firstChild.data == \
        'two <boxes>'
    assert svg.getElementsByTagName('marker')[0].getAttribute('id') == 'tip'
    assert text.endswith('</svg>\n')


def test_document_options():
    text = figure_svg.document(10, 10, 't', [], font_size=13, marker='a',
                               marker_color='black')
    assert '<desc>' not in text                # no desc unless given
    assert 'font-size="13"' in text and 'id="a"' in text
    assert 'fill="black"' in text


def test_document_needs_a_title():
    with pytest.raises(ValueError, match='title'):
        figure_svg.document(10, 10, '', [])


def test_write_uses_unix_newlines(tmp_path):
    figure_svg.write(tmp_path / 'f.svg', 'a\nb\n')
    assert (tmp_path / 'f.svg').read_bytes() == b'a\nb\n'


def test_committed_figures_are_what_their_scripts_draw(tmp_path):
    """Run every figure script in a copy of the tree (figures deleted) and
    compare what it writes with the committed files."""
    shutil.copytree(ROOT / 'tools', tmp_path / 'tools',
                    ignore=shutil.ignore_patterns('__pycache__'))
    for script in SCRIPTS:
        folder = tmp_path / script.parent.relative_to(ROOT)
        if not folder.exists():
            shutil.copytree(script.parent, folder,
                            ignore=shutil.ignore_patterns('*.svg',
                                                          '__pycache__'))
    def draw(script):
        return subprocess.run(
            [sys.executable, script.name],
            cwd=tmp_path / script.parent.relative_to(ROOT),
            capture_output=True, text=True,
            env={'MPLBACKEND': 'Agg', 'PATH': ''})
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count()) as pool:
        for script, run in zip(SCRIPTS, pool.map(draw, SCRIPTS)):
            assert run.returncode == 0, f'{script}: {run.stderr[-2000:]}'
    drawn = 0
    for made in sorted(tmp_path.glob('chapters/*/img/*.svg')):
        committed = ROOT / made.relative_to(tmp_path)
        assert committed.exists(), f'{committed} is drawn but not committed'
        assert made.read_bytes() == committed.read_bytes(), (
            f'{committed} differs from what its script draws: rerun the '
            'script in its folder')
        drawn += 1
    assert drawn >= len(SCRIPTS)
