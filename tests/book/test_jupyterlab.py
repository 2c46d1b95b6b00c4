"""Reader notebooks in a real JupyterLab, driven by headless Chromium.

A JupyterLab server runs on localhost over a copy of two committed reader
notebooks (3.1, with figures and citations, and 3.4, which trains with a
ProgressBoard), once with the jupyterlab-myst extension (as installed by
the book extra) and once without it (plain JupyterLab), with quick mode
set for its kernels. In each, every markdown cell must render: math typeset
with the book's equation numbers and no other numbers, no raw MyST role,
label or "not found" marker, every figure loaded and followed by its
numbered caption. With the extension, "Run all" must finish without an
error output, and the training cell's ProgressBoard figure must appear and
change while training runs. Screenshots go to _build/test-artifacts.
"""
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = ['linear-regression/linear-regression.ipynb',        # figures, citations
             'linear-regression/linear-regression-scratch.ipynb']  # trains: ProgressBoard
TOKEN = 'd2l-book-test'
RAW = re.compile(r'\{(numref|ref|eq|cite(:\w+)?|result)\}|\b(sec|eq|fig|tab|chap)-[a-z0-9]+(-[a-z0-9]+)+\b'
                 r'|\{\{\s*repository|\\tag\{|\\begin\{equation|not found', re.I)


def _myst_installed():
    return (pathlib.Path(sys.prefix) / 'share' / 'jupyter' / 'labextensions'
            / 'jupyterlab-myst').is_dir()


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture(scope='module', params=['myst', 'plain'])
def lab(request, tmp_path_factory):
    """(base URL, folder, mode) of a JupyterLab server over two notebooks."""
    mode = request.param
    if mode == 'myst' and not _myst_installed():
        pytest.skip('jupyterlab-myst is not installed (pip install -e .[book])')
    work = tmp_path_factory.mktemp(f'lab-{mode}')
    for rel in NOTEBOOKS:
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / 'chapters' / rel, work / rel)
    settings = work / '.settings'
    for plugin, values in {
            'notebook-extension/tracker': {'windowingMode': 'none'},   # render all cells
            'apputils-extension/notification': {'fetchNews': 'false',
                                                'checkForUpdates': False}}.items():
        path = settings / '@jupyterlab' / f'{plugin}.jupyterlab-settings'
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    config = work / '.config'
    (config / 'labconfig').mkdir(parents=True)
    if mode == 'plain':
        (config / 'labconfig' / 'page_config.json').write_text(json.dumps(
            {'disabledExtensions': {'jupyterlab-myst': True}}))
    port = _free_port()
    env = dict(os.environ, D2L_QUICK='1', OMP_NUM_THREADS='1',
               D2L_DATA_DIR=str(work / '.data'),
               JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(work / '.workspaces'),
               JUPYTER_RUNTIME_DIR=str(work / '.runtime'),
               JUPYTER_CONFIG_DIR=str(config))
    env.setdefault('D2L_DATA_MIRROR', str(ROOT.parent / 'shared' / 'data'))
    log = open(work / 'server.log', 'w')
    server = subprocess.Popen(
        [sys.executable, '-m', 'jupyterlab', '--no-browser', '--ip=127.0.0.1',
         f'--port={port}', f'--IdentityProvider.token={TOKEN}', '--allow-root',
         f'--ServerApp.root_dir={work}', '--LabApp.expose_app_in_browser=True'],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f'http://127.0.0.1:{port}'
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f'{base}/api/status?token={TOKEN}', timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail('JupyterLab exited: ' + (work / 'server.log').read_text()[-2000:])
                time.sleep(0.5)
        else:
            pytest.fail('JupyterLab did not start in 120 s')
        yield base, work, mode
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _open(browser, lab, rel):
    base, work, mode = lab
    nb = nbformat.read(work / rel, as_version=4)
    n_md = sum(c.cell_type == 'markdown' for c in nb.cells)
    browser.set_window_size(1280, 1000)
    browser.get(f'{base}/lab/tree/{rel}?token={TOKEN}')
    WebDriverWait(browser, 120).until(lambda d: d.execute_script(
        "return document.querySelectorAll('.jp-MarkdownCell.jp-mod-rendered').length"
        ) >= n_md)
    # math is typeset asynchronously: wait until the count settles
    last, stable = -1, 0
    for _ in range(60):
        count = browser.execute_script(
            "return document.querySelectorAll('mjx-container, .katex').length")
        stable = stable + 1 if count == last else 0
        if stable >= 3 and count:
            break
        last = count
        time.sleep(0.5)
    return nb


INSPECT = r"""
const root = window.jupyterapp.shell.currentWidget.node;   // the open notebook
const cells = [...root.querySelectorAll('.jp-MarkdownCell')];
const rendered = c => c.querySelector('.jp-MarkdownOutput, .jp-RenderedMarkdown, .myst');
const text = cells.map(c => { const r = rendered(c); return r ? r.innerText : ''; });
const display = [...root.querySelectorAll(
    '.jp-MarkdownCell mjx-container[display="true"], .jp-MarkdownCell .katex-display')];
const images = [...root.querySelectorAll('.jp-MarkdownCell img')].map(img => {
  // the caption is the block that follows the image's block in its cell
  const top = rendered(img.closest('.jp-MarkdownCell'));
  let block = img;
  while (block.parentElement && block.parentElement !== top) block = block.parentElement;
  let next = block.nextElementSibling;
  while (next && !next.innerText.trim()) next = next.nextElementSibling;
  return {src: (img.getAttribute('src') || '').slice(0, 40),
          loaded: img.complete && img.naturalWidth > 0,
          width: img.getBoundingClientRect().width,
          column: top.getBoundingClientRect().width,
          caption: next ? next.innerText.slice(0, 120) : ''};
});
return {
  cells: cells.length, text: text,
  math: root.querySelectorAll('.jp-MarkdownCell mjx-container, .jp-MarkdownCell .katex').length,
  display: display.map(e => (e.closest('.flex-grow') ? e.closest('.flex-grow').parentElement : e)
                              .innerText.replace(/\s+/g, ' ')),
  images: images,
  tex_errors: root.querySelectorAll('.jp-MarkdownCell mjx-merror, .jp-MarkdownCell .katex-error').length,
};
"""


@pytest.mark.parametrize('rel', NOTEBOOKS)
def test_reader_notebook_renders(lab, browser, artifacts, rel):
    nb = _open(browser, lab, rel)
    info = browser.execute_script(INSPECT)
    mode = lab[2]
    browser.save_screenshot(str(artifacts / f'jupyterlab-{mode}-{pathlib.Path(rel).stem}.png'))
    text = '\n'.join(info['text'])
    source = '\n'.join(c.source for c in nb.cells if c.cell_type == 'markdown')
    number = nb.metadata['d2l']['number']
    assert info['cells'] == sum(c.cell_type == 'markdown' for c in nb.cells)
    assert text.lstrip().startswith(f'{number}. '), text[:80]
    # math: typeset, no TeX errors, the book's numbers and no others
    assert info['math'] >= source.count('\\begin{equation*}') > 0
    assert info['tex_errors'] == 0
    for tag in re.findall(r'\\tag\{([^}]*)\}', source):
        assert f'({tag})' in text, f'equation number ({tag}) not shown'
    extra = [d for d in info['display'] if re.search(r'\(\d+\)\s*$', d)]
    assert not extra, f'equations numbered by the renderer: {extra[:3]}'
    raw = sorted({m.group() for m in RAW.finditer(text)})
    assert not raw, f'raw MyST, labels or markers visible: {raw}'
    assert '$' not in re.sub(r'\$\d', '', text), 'unrendered math delimiters'
    # figures: loaded, inside the column, captioned with their number
    captions = re.findall(r'\*\*(Fig\. [\d.]+)\*\*', source)
    assert len(info['images']) == len(captions)
    for img, caption in zip(info['images'], captions):
        assert img['loaded'], f'image not loaded: {img["src"]}'
        assert img['width'] <= img['column'] + 1
        assert img['caption'].startswith(caption), \
            f'{caption} is not under its image: {img["caption"]!r}'
    if number == '3.1':
        assert len(captions) >= 3
        assert re.search(r'\([A-Z][\w-]+ (et al\.|and [A-Z][\w-]+)?,? ?\d{4}\)', text) or \
            re.search(r'[A-Z][\w-]+ (et al\. )?\(\d{4}\)', text), 'no author-year citation'
        assert text.rstrip().splitlines()[-1] and 'References' in text


RUN_ALL = r"""
const done = arguments[arguments.length - 1];
const app = window.jupyterapp;
const panel = app.shell.currentWidget;
window.d2lBoards = [];
const seen = new Map();
const note = () => {
  // a figure output is an <img> (JupyterLab shows SVG output as an image) or
  // an inline <svg>; note each new version of it, per cell
  const cells = [...panel.node.querySelectorAll('.jp-Cell')];
  panel.node.querySelectorAll('.jp-OutputArea-output img, .jp-OutputArea-output svg')
    .forEach(fig => {
      const key = cells.indexOf(fig.closest('.jp-Cell'));
      const body = fig.tagName === 'IMG' ? fig.getAttribute('src') || '' : fig.innerHTML;
      const sig = body.length + ':' + body.slice(-300);
      const list = seen.get(key) || [];
      if (!list.length || list[list.length - 1] !== sig) {
        list.push(sig); seen.set(key, list);
        window.d2lBoards.push([key, Date.now(), body.length]);
      }
    });
};
new MutationObserver(note).observe(panel.node, {subtree: true, childList: true,
                                                characterData: true, attributes: true,
                                                attributeFilter: ['src']});
panel.sessionContext.ready.then(() => app.commands.execute('notebook:run-all-cells'))
  .then(() => done('started'), err => done('failed: ' + err));
"""

STATE = r"""
const panel = window.jupyterapp.shell.currentWidget;
const nb = panel.context.model.toJSON();
const code = nb.cells.filter(c => c.cell_type === 'code');
return {
  status: panel.sessionContext.session ? panel.sessionContext.session.kernel.status : 'none',
  pending: [...panel.node.querySelectorAll('.jp-InputPrompt')].filter(p => p.textContent.includes('*')).length,
  counts: code.map(c => c.execution_count),
  errors: code.flatMap(c => c.outputs.filter(o => o.output_type === 'error')
                                      .map(o => o.ename + ': ' + o.evalue)),
  boards: window.d2lBoards,
};
"""


@pytest.mark.parametrize('lab', ['myst'], indirect=True)   # the book extra's
@pytest.mark.parametrize('rel', NOTEBOOKS)
def test_run_all_in_quick_mode(lab, browser, artifacts, rel):
    nb = _open(browser, lab, rel)
    assert browser.execute_async_script(RUN_ALL) == 'started'
    n_code = sum(c.cell_type == 'code' for c in nb.cells)
    state = {}
    deadline = time.time() + 600
    while time.time() < deadline:
        time.sleep(1)
        state = browser.execute_script(STATE)
        if (state['status'] == 'idle' and not state['pending']
                and all(state['counts']) and len(state['counts']) == n_code):
            break
    figures = browser.execute_script("""
      const figs = [...window.jupyterapp.shell.currentWidget.node
                    .querySelectorAll('.jp-OutputArea-output img')];
      if (figs.length) figs[figs.length - 1].scrollIntoView({block: 'center'});
      return figs.map(f => f.complete && f.naturalWidth > 0);""")
    time.sleep(1)
    browser.save_screenshot(str(artifacts / f'jupyterlab-run-{pathlib.Path(rel).stem}.png'))
    assert all(state['counts']), f'cells not run: {state["counts"]}'
    assert figures and all(figures), f'output figures not shown: {figures}'
    assert not state['errors'], f'error outputs: {state["errors"]}'
    if rel.endswith('scratch.ipynb'):
        by_cell = {}
        for key, _, size in state['boards']:
            by_cell.setdefault(key, []).append(size)
        growing = {k: v for k, v in by_cell.items() if len(v) >= 2}
        assert growing, f'no ProgressBoard figure changed while training: {by_cell}'
