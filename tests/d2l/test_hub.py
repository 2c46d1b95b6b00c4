"""The data hub: mirror lookup, SHA-1 checks, atomic writes, safe extraction."""
import ast
import gzip
import io
import os
import pathlib
import re
import struct
import tarfile
import threading
import zipfile
import zlib

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


def test_download_with_folder_none_uses_the_default_cache(cache, mirror):
    name, sha = HOUSE
    path = d2l.download(d2l.DATA_URL + name, None, sha)
    assert pathlib.Path(path) == cache / name


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


@pytest.fixture
def no_network(monkeypatch):
    """Record every attempt to reach the network, and make it fail."""
    import requests
    calls = []

    def get(url, **kw):
        calls.append(url)
        raise requests.ConnectionError('the test forbids the network')
    monkeypatch.setattr(requests, 'get', get)
    return calls


def test_offline_error_names_file_url_and_mirror(cache, monkeypatch,
                                                 no_network):
    monkeypatch.setenv('D2L_DATA_MIRROR', '/nonexistent')
    monkeypatch.setenv('D2L_OFFLINE', '1')
    with pytest.raises(hub.DataError) as err:
        d2l.download('https://example.invalid/data/y.zip', sha1_hash='1' * 40)
    text = str(err.value)
    assert 'y.zip' in text and 'https://example.invalid/data/y.zip' in text
    assert '/nonexistent' in text and 'D2L_OFFLINE is set' in text
    assert no_network == []                 # the offline check, not a failure


@pytest.mark.parametrize('value', ['1', 'true', 'YES', ' on '])
def test_offline_values_never_touch_the_network(cache, monkeypatch,
                                                no_network, value):
    monkeypatch.setenv('D2L_DATA_MIRROR', '')
    monkeypatch.setenv('D2L_OFFLINE', value)
    with pytest.raises(hub.DataError, match='D2L_OFFLINE is set'):
        d2l.download('https://example.invalid/z.csv', sha1_hash='2' * 40)
    assert no_network == []


def test_offline_corrupt_cache_is_not_called_missing(cache, monkeypatch,
                                                    no_network):
    monkeypatch.setenv('D2L_DATA_MIRROR', '')
    monkeypatch.setenv('D2L_OFFLINE', '1')
    cache.mkdir(parents=True)
    (cache / 'w.csv').write_bytes(b'abc')
    with pytest.raises(hub.DataError) as err:
        d2l.download('https://example.invalid/w.csv', sha1_hash='3' * 40)
    text = str(err.value)
    assert 'w.csv is cached in' in text and 'not cached' not in text
    assert ('but corrupt (SHA-1 a9993e364706816aba3e25717850c26c9cd0d89d, '
            f'expected {"3" * 40})') in text
    assert no_network == []


def test_download_rejects_a_non_url():
    with pytest.raises(ValueError, match='expected a URL'):
        d2l.download(42)


def test_download_rejects_a_name_that_is_not_in_the_hub():
    with pytest.raises(ValueError, match='or a DATA_HUB name'):
        d2l.download('no-such-dataset')


def test_download_takes_a_data_hub_name_like_d2l_1_0_3(cache, mirror):
    """``d2l.download('airfoil')``, as chapter 12 of the print book calls it,
    is the registered URL with its SHA-1 checked."""
    url, sha = d2l.DATA_HUB['airfoil']
    by_name = d2l.download('airfoil')
    assert by_name == d2l.download(url, sha1_hash=sha)
    assert pathlib.Path(by_name).name == 'airfoil_self_noise.dat'
    assert hub.sha1(by_name) == sha


class _Response:
    """A stand-in for requests' streamed response."""
    def __init__(self, status=200, body=b'', ctype='application/zip',
                 length=None):
        self.status_code, self.reason = status, 'Not Found'
        self.headers = {'Content-Type': ctype}
        if length is not None:
            self.headers['Content-Length'] = str(length)
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


def _zip_bytes(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize('value', ['0', 'false', 'no', 'off', ''])
def test_false_offline_values_mean_online(network, cache, monkeypatch, value):
    monkeypatch.setenv('D2L_OFFLINE', value)
    network['r'] = _Response(body=b'abc')
    path = d2l.download('https://example.invalid/abc.bin',
                        sha1_hash='a9993e364706816aba3e25717850c26c9cd0d89d')
    assert pathlib.Path(path).read_bytes() == b'abc'


def test_a_truncated_archive_without_length_or_hash_is_not_kept(network,
                                                                 cache):
    body = _zip_bytes({'a.txt': os.urandom(4096)})
    network['r'] = _Response(body=body[:len(body) // 2])   # no Content-Length
    with pytest.raises(hub.DataError, match='not a complete zip file'):
        d2l.download('https://example.invalid/cut.zip')
    assert list(cache.iterdir()) == []


def test_a_truncated_gzip_without_hash_is_not_kept(network, cache):
    body = gzip.compress(os.urandom(4096))
    network['r'] = _Response(body=body[:-100], ctype='application/gzip')
    with pytest.raises(hub.DataError, match='not a complete gz file'):
        d2l.download('https://example.invalid/cut.tar.gz')
    assert list(cache.iterdir()) == []


def test_a_body_shorter_than_its_length_is_not_kept(network, cache):
    network['r'] = _Response(body=b'a,b\n1,2\n', ctype='text/csv', length=100)
    with pytest.raises(hub.DataError, match='cut short: 8 of 100 bytes'):
        d2l.download('https://example.invalid/table.csv')
    assert list(cache.iterdir()) == []


def test_an_html_page_served_as_a_file_is_not_kept(network, cache):
    network['r'] = _Response(body=b'\n<!DOCTYPE html><html>sign in</html>',
                             ctype='application/octet-stream')
    with pytest.raises(hub.DataError, match='HTML page'):
        d2l.download('https://example.invalid/table.csv')
    assert list(cache.iterdir()) == []


def test_a_download_without_hash_warns_with_its_sha1(network, cache):
    network['r'] = _Response(body=b'abc', ctype='text/plain')
    with pytest.warns(UserWarning, match='a9993e364706816aba3e25717850c26c9c'):
        path = d2l.download('https://example.invalid/abc.txt')
    assert pathlib.Path(path).read_bytes() == b'abc'


def test_a_bad_cached_file_without_hash_is_fetched_again(network, cache):
    good = _zip_bytes({'a.txt': os.urandom(4096)})
    cache.mkdir(parents=True)
    (cache / 'data.zip').write_bytes(good[:len(good) // 2])
    network['r'] = _Response(body=good)
    with pytest.warns(UserWarning, match='without a SHA-1'):
        path = d2l.download('https://example.invalid/data.zip')
    assert pathlib.Path(path).read_bytes() == good


def test_a_bad_cached_file_without_hash_is_reported_offline(cache, monkeypatch,
                                                            no_network):
    monkeypatch.setenv('D2L_DATA_MIRROR', '')
    monkeypatch.setenv('D2L_OFFLINE', '1')
    cache.mkdir(parents=True)
    (cache / 'page.zip').write_bytes(b'<html>oops</html>')
    with pytest.raises(hub.DataError,
                       match=r'cached in .* but corrupt \(SHA-1 [0-9a-f]{40}: '
                             'it is an HTML page'):
        d2l.download('https://example.invalid/page.zip')


@pytest.mark.parametrize('entry', [('https://x.invalid/a.zip', None),
                                   ('https://x.invalid/a.zip', 'abc'),
                                   ('https://x.invalid/a.zip',),
                                   'https://x.invalid/a.zip'])
def test_data_hub_refuses_an_entry_without_a_sha1(entry):
    with pytest.raises(ValueError, match='40-digit hex SHA-1'):
        d2l.DATA_HUB['no-hash'] = entry
    with pytest.raises(ValueError, match='40-digit hex SHA-1'):
        d2l.DATA_HUB.update({'no-hash': entry})
    assert 'no-hash' not in d2l.DATA_HUB


def test_every_registered_entry_has_a_sha1():
    assert d2l.DATA_HUB                       # torch.py registers some
    for name, (url, digest) in d2l.DATA_HUB.items():
        assert re.fullmatch('[0-9a-f]{40}', digest), name


def _hub_registrations(source):
    """(name, value node) of each `DATA_HUB[name] = value` in `source`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if (isinstance(target, ast.Subscript)
                        and 'DATA_HUB' in ast.unparse(target.value)):
                    yield ast.unparse(target.slice), node.value


def test_every_notebook_registration_has_a_sha1():
    root = pathlib.Path(__file__).resolve().parents[2] / 'chapters'
    fence = re.compile(r'^```python\n(.*?)^```', re.M | re.S)
    found = []
    for md in sorted(root.rglob('*.md')):
        for cell in fence.findall(md.read_text()):
            code = '\n'.join(line for line in cell.splitlines()
                             if not line.lstrip().startswith(('%', '!')))
            for name, value in _hub_registrations(code):
                found.append(name)
                assert (isinstance(value, ast.Tuple) and len(value.elts) == 2
                        and isinstance(value.elts[1], ast.Constant)
                        and re.fullmatch('[0-9a-f]{40}', value.elts[1].value)
                        ), f'{md.name}: DATA_HUB[{name}] has no SHA-1'
    assert found                              # the scan sees the notebooks


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
    assert sorted(n for n in os.listdir(out) if n[0] != '.') == ['x.txt',
                                                                 'y.txt']


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


# --- extracting once, atomically, under a lock ------------------------------

def _leftovers(base):
    """Staging or trash folders left in `base` (there should be none)."""
    state = base / '.d2l-extract'
    return [p.name for p in state.iterdir() if p.name.startswith(
        ('tmp-', 'old-'))] if state.is_dir() else []


def test_a_second_extract_rewrites_nothing(tmp_path):
    arc = _zip(tmp_path / 'a.zip', {'pkg/a.txt': 'A'})
    out = pathlib.Path(d2l.extract(arc))
    os.utime(out / 'a.txt', (0, 0))             # a mark a rewrite would erase
    assert pathlib.Path(d2l.extract(arc)) == out
    assert (out / 'a.txt').stat().st_mtime == 0


def test_extraction_is_staged_beside_the_target(tmp_path, monkeypatch):
    arc = _zip(tmp_path / 'a.zip', {'pkg/a.txt': 'A'})
    real, seen = zipfile.ZipFile.extractall, []

    def extractall(self, path=None, *args, **kw):
        real(self, path, *args, **kw)
        seen.append(pathlib.Path(path))
        assert not (tmp_path / 'pkg').exists()   # nothing visible yet
    monkeypatch.setattr(zipfile.ZipFile, 'extractall', extractall)
    d2l.extract(arc)
    assert tmp_path.resolve() in seen[0].parents  # same file system
    assert (tmp_path / 'pkg' / 'a.txt').read_text() == 'A'
    assert _leftovers(tmp_path) == []


def test_concurrent_extracts_unpack_once(tmp_path, monkeypatch):
    arc = _zip(tmp_path / 'a.zip', {'pkg/a.txt': 'A' * 1000})
    real, calls = zipfile.ZipFile.extractall, []

    def slow_extractall(self, *args, **kw):
        calls.append(1)
        threading.Event().wait(0.1)            # widen the race
        return real(self, *args, **kw)
    monkeypatch.setattr(zipfile.ZipFile, 'extractall', slow_extractall)
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        d2l.extract(arc))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(set(results)) == 1 and len(results) == 4
    assert (tmp_path / 'pkg' / 'a.txt').read_text() == 'A' * 1000


def test_a_changed_archive_replaces_what_the_old_one_unpacked(tmp_path):
    arc = _zip(tmp_path / 'a.zip', {'pkg/a.txt': 'v1', 'pkg/old.txt': 'x'})
    d2l.extract(arc)
    arc.unlink()
    _zip(arc, {'pkg/a.txt': 'v2'})
    out = pathlib.Path(d2l.extract(arc))
    assert (out / 'a.txt').read_text() == 'v2'
    assert not (out / 'old.txt').exists()
    assert _leftovers(tmp_path) == []


def test_a_removed_extraction_is_redone(tmp_path):
    arc = _zip(tmp_path / 'a.zip', {'pkg/a.txt': 'A'})
    out = pathlib.Path(d2l.extract(arc))
    (out / 'a.txt').unlink()
    out.rmdir()
    assert (pathlib.Path(d2l.extract(arc)) / 'a.txt').read_text() == 'A'


def test_a_lock_or_staging_left_by_a_crash_does_not_block(tmp_path):
    state = tmp_path / 'dest' / '.d2l-extract'
    (state / 'tmp-crashed' / 'pkg').mkdir(parents=True)
    (state / 'lock').write_text('12345')
    arc = _zip(tmp_path / 'a.zip', {'pkg/a.txt': 'A'})
    out = pathlib.Path(d2l.extract(arc, tmp_path / 'dest'))
    assert (out / 'a.txt').read_text() == 'A'
    assert _leftovers(tmp_path / 'dest') == []


def test_extract_waits_for_a_held_lock_then_gives_up(tmp_path, monkeypatch):
    monkeypatch.setattr(hub, '_LOCK_TIMEOUT_S', 0.2)
    arc = _zip(tmp_path / 'a.zip', {'pkg/a.txt': 'A'})
    state = tmp_path / '.d2l-extract'
    state.mkdir()
    with hub._locked(state / 'lock'):          # as another process would
        with pytest.raises(hub.DataError, match='another process'):
            d2l.extract(arc)
    assert not (tmp_path / 'pkg').exists()
    assert (pathlib.Path(d2l.extract(arc)) / 'a.txt').read_text() == 'A'


def test_extract_works_where_no_lock_is_offered(tmp_path, monkeypatch):
    monkeypatch.setattr(hub, '_try_lock', lambda fd: None)
    arc = _zip(tmp_path / 'a.zip', {'pkg/a.txt': 'A'})
    assert (pathlib.Path(d2l.extract(arc)) / 'a.txt').read_text() == 'A'


def _bad_crc_zip(path):
    """A zip whose second member fails its CRC check when read."""
    _zip(path, {'pkg/a.txt': 'first', 'pkg/b.txt': 'second member'})
    data = bytearray(path.read_bytes())
    at = data.index(b'second member')
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def test_a_corrupt_zip_raises_data_error_and_leaves_nothing(tmp_path):
    arc = _bad_crc_zip(tmp_path / 'bad.zip')
    with pytest.raises(hub.DataError, match='corrupt.*BadZipFile'):
        d2l.extract(arc, tmp_path / 'dest')
    assert [p.name for p in (tmp_path / 'dest').iterdir()] == ['.d2l-extract']
    assert _leftovers(tmp_path / 'dest') == []


def test_a_truncated_tar_raises_data_error(tmp_path):
    arc = tmp_path / 'a.tar.gz'
    with tarfile.open(arc, 'w:gz') as t:
        _tar_file(t, 'pkg/a.bin', os.urandom(20000))
    arc.write_bytes(arc.read_bytes()[:8000])
    with pytest.raises(hub.DataError, match='corrupt'):
        d2l.extract(arc, tmp_path / 'dest')
    assert not (tmp_path / 'dest' / 'pkg').exists()
    assert _leftovers(tmp_path / 'dest') == []


def test_a_failed_extract_keeps_the_previous_content(tmp_path):
    good = _zip(tmp_path / 'a.zip', {'pkg/a.txt': 'good'})
    d2l.extract(good)
    good.unlink()
    _bad_crc_zip(good)
    with pytest.raises(hub.DataError):
        d2l.extract(good)
    assert (tmp_path / 'pkg' / 'a.txt').read_text() == 'good'


def test_a_member_named_like_the_state_folder_is_refused(tmp_path):
    arc = _zip(tmp_path / 'a.zip', {'.d2l-extract/lock': 'x'})
    with pytest.raises(hub.DataError, match='keeps for itself'):
        d2l.extract(arc, tmp_path / 'dest')


def test_a_tar_member_under_an_archive_link_is_refused(tmp_path):
    def add(t):     # a -> . looks harmless; a/b -> .. then leaves the target
        for name, target in [('a', '.'), ('a/b', '..')]:
            link = tarfile.TarInfo(name)
            link.type, link.linkname = tarfile.SYMTYPE, target
            t.addfile(link)
    arc = _tar(tmp_path / 'chain.tar', add)
    with pytest.raises(hub.DataError, match='under a link'):
        d2l.extract(arc, tmp_path / 'dest')
    assert not (tmp_path / 'dest' / 'a').exists()


# --- limits ------------------------------------------------------------------

def _tar_many(path, n, size=1):
    return _tar(path, lambda t: [_tar_file(t, f'm/{i}', b'x' * size)
                                 for i in range(n)])


@pytest.mark.parametrize('kind', ['zip', 'tar'])
def test_too_many_members_are_refused(tmp_path, monkeypatch, kind):
    monkeypatch.setitem(hub.EXTRACT_LIMITS, 'max_members', 100)
    arc = (_zip(tmp_path / 'm.zip', {f'm/{i}': 'x' for i in range(101)})
           if kind == 'zip' else _tar_many(tmp_path / 'm.tar', 101))
    with pytest.raises(hub.DataError, match='more than 100 members'):
        d2l.extract(arc, tmp_path / 'dest')
    assert not (tmp_path / 'dest' / 'm').exists()


@pytest.mark.parametrize('kind', ['zip', 'tar.gz'])
def test_too_many_bytes_are_refused(tmp_path, monkeypatch, kind):
    monkeypatch.setitem(hub.EXTRACT_LIMITS, 'max_bytes', 2**20)
    zeros = bytes(3 * 2**20)
    if kind == 'zip':
        arc = tmp_path / 'b.zip'
        arc.write_bytes(_zip_bytes({'big/zeros': zeros}))
    else:
        arc = tmp_path / 'b.tar.gz'
        with tarfile.open(arc, 'w:gz') as t:
            _tar_file(t, 'big/zeros', zeros)
    with pytest.raises(hub.DataError, match=f'more than {2**20} bytes'):
        d2l.extract(arc, tmp_path / 'dest')
    assert not (tmp_path / 'dest' / 'big').exists()


def test_an_environment_variable_overrides_a_limit(tmp_path, monkeypatch):
    monkeypatch.setenv('D2L_EXTRACT_MAX_MEMBERS', '2')
    arc = _zip(tmp_path / 'm.zip', {'a': '1', 'b': '2', 'c': '3'})
    with pytest.raises(hub.DataError, match='D2L_EXTRACT_MAX_MEMBERS'):
        d2l.extract(arc, tmp_path / 'dest')


def _deflate_bomb(path, mib):
    """A valid zip whose one member inflates to `mib` MiB of zeros.

    One deflated MiB, flushed so that it stands alone, is repeated: building
    it takes milliseconds, where compressing the zeros would take a second.
    """
    c = zlib.compressobj(9, zlib.DEFLATED, -15)       # raw deflate, as in zip
    block = c.compress(bytes(2**20)) + c.flush(zlib.Z_FULL_FLUSH)
    data = block * mib + c.flush()
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(bytes(2**20), crc)
    name, size, day = b'bomb/zeros', mib * 2**20, 33  # 1980-01-01
    head = (20, 0, 8, 0, day, crc, len(data), size, len(name), 0)
    local = struct.pack('<4s5H3L2H', b'PK\x03\x04', *head) + name
    central = struct.pack('<4sH5H3L5H2L', b'PK\x01\x02', 20, *head,
                          0, 0, 0, 0, 0) + name
    end = struct.pack('<4s4H2LH', b'PK\x05\x06', 0, 0, 1, 1, len(central),
                      len(local) + len(data), 0)
    path.write_bytes(local + data + central + end)
    return path


def test_the_default_limits_refuse_a_bomb_without_inflating_it(tmp_path,
                                                               monkeypatch):
    arc = _deflate_bomb(tmp_path / 'bomb.zip', 80)  # 80 MiB from ~80 kB
    assert arc.stat().st_size < 2**17

    def no_inflating(*args, **kw):
        raise AssertionError('a member was inflated')
    monkeypatch.setattr(zipfile.ZipFile, 'open', no_inflating)
    with pytest.raises(hub.DataError, match='times its size'):
        d2l.extract(arc, tmp_path / 'dest')
    assert not (tmp_path / 'dest' / 'bomb').exists()
