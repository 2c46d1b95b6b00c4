"""The data hub: mirror lookup, SHA-1 checks, atomic writes, safe extraction."""
import io
import os
import pathlib
import tarfile
import zipfile

import pytest

from d2l import hub
from d2l import torch as d2l

HOUSE = ('kaggle_house_pred_test.csv', 'fa19780a7b011d9b009e8bff8e99922a8ee2eb90')


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv('D2L_DATA_DIR', str(tmp_path / 'cache'))
    return tmp_path / 'cache'


def test_sha1_of_known_bytes(tmp_path):
    f = tmp_path / 'abc'
    f.write_bytes(b'abc')
    assert hub.sha1(f) == 'a9993e364706816aba3e25717850c26c9cd0d89d'


def test_download_takes_the_mirror_copy(cache, mirror):
    name, sha = HOUSE
    path = d2l.download(d2l.DATA_URL + name, sha1_hash=sha)
    assert pathlib.Path(path) == cache / name
    assert hub.sha1(path) == sha


def test_download_finds_fashion_mnist_in_its_subfolder(cache, mirror):
    sha = '9caad14e1aff9adac77d3744963212d36af15bee'
    url = 'http://example.invalid/t10k-labels-idx1-ubyte.gz'
    assert hub.sha1(d2l.download(url, sha1_hash=sha)) == sha


def test_download_accepts_a_known_rebuilt_mirror_copy(cache, mirror):
    canonical = '94646ad1522d915e7b0f9296181140edcf86a4f5'
    path = d2l.download(d2l.DATA_URL + 'fra-eng.zip', sha1_hash=canonical)
    assert hub.sha1(path) == hub.REBUILT_MIRROR_SHA1['fra-eng.zip']


def test_a_corrupt_cached_file_is_replaced(cache, mirror):
    name, sha = HOUSE
    cache.mkdir(parents=True)
    (cache / name).write_text('truncated')
    path = d2l.download(d2l.DATA_URL + name, sha1_hash=sha)
    assert hub.sha1(path) == sha


def test_a_mirror_copy_with_the_wrong_hash_is_ignored(cache, tmp_path,
                                                      monkeypatch):
    bad_mirror = tmp_path / 'mirror'
    bad_mirror.mkdir()
    (bad_mirror / 'x.csv').write_text('not the real file')
    monkeypatch.setenv('D2L_DATA_MIRROR', str(bad_mirror))
    with pytest.raises(hub.DataError, match='x.csv is not cached'):
        d2l.download('https://example.invalid/x.csv', sha1_hash='0' * 40)
    assert not (cache / 'x.csv').exists()


def test_offline_error_names_file_url_and_mirror(cache, monkeypatch):
    monkeypatch.setenv('D2L_DATA_MIRROR', '/nonexistent')
    with pytest.raises(hub.DataError) as err:
        d2l.download('https://example.invalid/data/y.zip', sha1_hash='1' * 40)
    text = str(err.value)
    assert 'y.zip' in text and 'https://example.invalid/data/y.zip' in text
    assert '/nonexistent' in text


def test_download_rejects_a_non_url():
    with pytest.raises(ValueError, match='expected a URL'):
        d2l.download(42)


class _Response:
    """A stand-in for requests' streamed response."""
    def __init__(self, status=200, body=b'', ctype='application/zip'):
        self.status_code, self.reason = status, 'Not Found'
        self.headers = {'Content-Type': ctype}
        self._body = body

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def iter_content(self, n):
        yield self._body


@pytest.fixture
def network(monkeypatch, cache):
    """Let download reach a fake network that serves one response."""
    import requests
    monkeypatch.delenv('D2L_OFFLINE', raising=False)
    monkeypatch.setenv('D2L_DATA_MIRROR', '')
    served = {}
    monkeypatch.setattr(requests, 'get', lambda url, **kw: served['r'])
    return served


def test_network_download_checks_the_hash(network, cache):
    network['r'] = _Response(body=b'abc')
    path = d2l.download('https://example.invalid/abc.bin',
                        sha1_hash='a9993e364706816aba3e25717850c26c9cd0d89d')
    assert pathlib.Path(path).read_bytes() == b'abc'


def test_a_corrupt_download_is_not_kept(network, cache):
    network['r'] = _Response(body=b'abd')
    with pytest.raises(hub.DataError, match='expected a9993e36'):
        d2l.download('https://example.invalid/abc.bin',
                     sha1_hash='a9993e364706816aba3e25717850c26c9cd0d89d')
    assert list(cache.iterdir()) == []          # no partial or temp file


def test_http_errors_are_reported(network, cache):
    network['r'] = _Response(status=404)
    with pytest.raises(hub.DataError, match='HTTP 404'):
        d2l.download('https://example.invalid/missing.zip')


def test_html_error_pages_are_detected(network, cache):
    network['r'] = _Response(body=b'<html>denied</html>', ctype='text/html')
    with pytest.raises(hub.DataError, match='HTML page'):
        d2l.download('https://example.invalid/data.zip')
    assert list(cache.iterdir()) == []


def _zip(path, members):
    with zipfile.ZipFile(path, 'w') as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _tar(path, add):
    with tarfile.open(path, 'w') as t:
        add(t)
    return path


def _tar_file(t, name, data=b'x'):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    t.addfile(info, io.BytesIO(data))


def test_extract_zip_returns_its_top_folder(tmp_path):
    arc = _zip(tmp_path / 'a.zip', {'pkg/a.txt': 'A', 'pkg/b/c.txt': 'C'})
    out = d2l.extract(arc)
    assert pathlib.Path(out) == tmp_path / 'pkg'
    assert (tmp_path / 'pkg' / 'b' / 'c.txt').read_text() == 'C'


def test_extract_tar_into_a_folder(tmp_path):
    arc = _tar(tmp_path / 'a.tar', lambda t: (_tar_file(t, 'x.txt'),
                                             _tar_file(t, 'y.txt')))
    out = d2l.extract(arc, tmp_path / 'dest')
    assert pathlib.Path(out) == (tmp_path / 'dest').resolve()
    assert sorted(os.listdir(out)) == ['x.txt', 'y.txt']


@pytest.mark.parametrize('name', ['../evil.txt', 'ok/../../evil.txt',
                                  '/tmp/evil-abs.txt'])
def test_zip_traversal_is_refused(tmp_path, name):
    arc = _zip(tmp_path / 'bad.zip', {name: 'pwned'})
    with pytest.raises(hub.DataError, match='refusing to extract'):
        d2l.extract(arc, tmp_path / 'dest')
    assert not (tmp_path / 'evil.txt').exists()
    assert not pathlib.Path('/tmp/evil-abs.txt').exists()


@pytest.mark.parametrize('name', ['../evil.txt', '/tmp/evil-abs.txt'])
def test_tar_traversal_is_refused(tmp_path, name):
    arc = _tar(tmp_path / 'bad.tar', lambda t: _tar_file(t, name))
    with pytest.raises(hub.DataError, match='refusing'):
        d2l.extract(arc, tmp_path / 'dest')
    assert not (tmp_path / 'evil.txt').exists()


def test_tar_symlink_escaping_the_target_is_refused(tmp_path):
    def add(t):
        link = tarfile.TarInfo('data/link')
        link.type, link.linkname = tarfile.SYMTYPE, '../../outside'
        t.addfile(link)
    arc = _tar(tmp_path / 'link.tar', add)
    with pytest.raises(hub.DataError, match='outside'):
        d2l.extract(arc, tmp_path / 'dest')
    assert not (tmp_path / 'dest' / 'data' / 'link').exists()


def test_tar_symlink_to_an_absolute_path_is_refused(tmp_path):
    def add(t):
        link = tarfile.TarInfo('passwd')
        link.type, link.linkname = tarfile.SYMTYPE, '/etc/passwd'
        t.addfile(link)
    arc = _tar(tmp_path / 'abs.tar', add)
    with pytest.raises(hub.DataError, match='absolute path'):
        d2l.extract(arc, tmp_path / 'dest')


def test_tar_symlink_inside_the_target_is_allowed(tmp_path):
    def add(t):
        _tar_file(t, 'data/real.txt', b'r')
        link = tarfile.TarInfo('data/alias.txt')
        link.type, link.linkname = tarfile.SYMTYPE, 'real.txt'
        t.addfile(link)
    arc = _tar(tmp_path / 'ok.tar', add)
    out = pathlib.Path(d2l.extract(arc, tmp_path / 'dest'))
    assert (out / 'alias.txt').read_bytes() == b'r'


def test_zip_symlink_is_refused(tmp_path):
    arc = tmp_path / 'link.zip'
    with zipfile.ZipFile(arc, 'w') as z:
        info = zipfile.ZipInfo('link')
        info.external_attr = (0o120777 << 16)
        z.writestr(info, '/etc/passwd')
    with pytest.raises(hub.DataError, match='symbolic link'):
        d2l.extract(arc, tmp_path / 'dest')


def test_extract_rejects_a_non_archive(tmp_path):
    f = tmp_path / 'plain.txt'
    f.write_text('hello')
    with pytest.raises(hub.DataError, match='neither a zip nor a tar'):
        d2l.extract(f)


def test_download_extract_unknown_name():
    with pytest.raises(KeyError, match="'nope' is not in DATA_HUB"):
        d2l.download_extract('nope')


def test_download_extract_real_archive(cache, mirror, monkeypatch):
    monkeypatch.setitem(d2l.DATA_HUB, 'ptb', (d2l.DATA_URL + 'ptb.zip',
                        '319d85e578af0cdc590547f26231e4e31cdf1e42'))
    folder = pathlib.Path(d2l.download_extract('ptb'))
    assert (folder / 'ptb.train.txt').exists()
