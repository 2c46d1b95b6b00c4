"""Download, verify, cache and unpack the book's data files.

Every file the book registers in ``DATA_HUB`` is known by its canonical URL
and SHA-1; registering one without a SHA-1 is an error. ``download`` looks
for the file, in this order:

1. the cache folder (``folder``; by default ``../data`` relative to the
   working directory, i.e. ``chapters/data`` for a notebook, or
   ``$D2L_DATA_DIR`` when set) — used if its SHA-1 matches;
2. each mirror folder in ``$D2L_DATA_MIRROR`` (``os.pathsep``-separated),
   searched by the canonical file name (also in its ``fashion-mnist/`` and
   ``img/`` subfolders) — copied into the cache if its SHA-1 is the canonical
   one or a known rebuilt copy;
3. the network, unless ``$D2L_OFFLINE`` is true (``1``, ``true``, ``yes``,
   ``on``, as for ``D2L_QUICK``) — the body is checked (HTTP status, length,
   HTML error pages, SHA-1) before it atomically replaces the cache file.

A file fetched without a SHA-1 cannot be fully verified, so it is checked for
what can be checked — not empty, the announced length, not an HTML page, and
an archive or compressed stream that is complete — both when it is fetched
and every time it is taken from the cache, and a warning names its SHA-1.

``extract`` unpacks a zip or tar archive once: it checks every member first
(no absolute paths, ``..`` traversal or links that leave the target; at most
``EXTRACT_LIMITS`` members and bytes), unpacks into a staging folder beside
the target, moves the result into place and leaves a marker named after the
archive's SHA-1, all under a lock, so later calls and concurrent processes
never rewrite a file another one is reading.
"""
import contextlib
import errno
import hashlib
import json
import os
import pathlib
import re
import shutil
import tarfile
import tempfile
import time
import warnings
import zipfile

from d2l import quickmode

__all__ = ['DATA_HUB', 'DATA_URL', 'download', 'extract', 'download_extract',
           'mirror_folders', 'sha1', 'DataError', 'EXTRACT_LIMITS']

_SHA1 = re.compile('[0-9a-f]{40}')


class _Registry(dict):
    """A dict of name -> (url, sha1) that refuses an entry without a SHA-1.

    A file registered without a hash could never be verified, so the mistake
    is caught where it is made rather than when a bad download is used.
    """

    def __setitem__(self, name, entry):
        try:
            url, digest = entry
        except (TypeError, ValueError):
            url, digest = entry, None
        if not (isinstance(url, str) and '/' in url and isinstance(digest, str)
                and _SHA1.fullmatch(digest.lower())):
            raise ValueError(
                f'DATA_HUB[{name!r}] must be (url, sha1) with the 40-digit '
                f'hex SHA-1 of the file, got {entry!r}; compute it with '
                'd2l.hub.sha1(path) on a copy you trust')
        super().__setitem__(name, (url, digest.lower()))

    def update(self, *args, **kwargs):
        for name, entry in dict(*args, **kwargs).items():
            self[name] = entry

    def setdefault(self, name, entry=None):
        if name not in self:
            self[name] = entry
        return self[name]


#: name -> (url, sha1) of every file the book downloads by name.
DATA_HUB = _Registry()
#: The book's data bucket; S3 serves it over HTTPS too.
DATA_URL = 'https://d2l-data.s3-accelerate.amazonaws.com/'

#: Mirror copies whose bytes differ from the canonical file but whose content
#: was verified (see the mirror's MANIFEST): canonical name -> accepted SHA-1.
REBUILT_MIRROR_SHA1 = {
    'fra-eng.zip': 'f775c1952d4961bd56d426ecaea7c729ba76755b',
    'ml-100k.zip': '2b1cac33e00923b067cf9280291a897e57a0b487',
}
_MIRROR_SUBFOLDERS = ('', 'fashion-mnist', 'img')
_DEFAULT_FOLDER = os.path.join('..', 'data')

#: What ``extract`` agrees to unpack. The largest archives the book's data
#: sets use are aclImdb (about 100,000 members) and GloVe 840B (5.6 GB of
#: text); real data expands well under 20x, while zip bombs expand about
#: 1000x. The ratio is checked only beyond ``ratio_from_bytes``, since a small
#: text file may legitimately compress very well. Raise a limit for one
#: archive you trust by assigning here, or with the environment variables
#: ``D2L_EXTRACT_MAX_MEMBERS``, ``D2L_EXTRACT_MAX_BYTES``,
#: ``D2L_EXTRACT_MAX_RATIO`` (read at call time, they take precedence).
EXTRACT_LIMITS = {
    'max_members': 200_000,          # members (files, folders, links)
    'max_bytes': 8 * 2**30,          # total uncompressed size
    'max_ratio': 100,                # total uncompressed size / archive size
    'ratio_from_bytes': 64 * 2**20,  # the ratio applies above this size
}
#: Seconds ``extract`` waits for another process unpacking into the same
#: folder before it gives up.
_LOCK_TIMEOUT_S = 1800
_STATE = '.d2l-extract'          # hidden folder of locks, markers, staging


class DataError(RuntimeError):
    """A data file could not be obtained or is not what it should be."""


def sha1(path, chunk=1 << 20):
    """Hex SHA-1 of a file, read in 1 MiB chunks."""
    h = hashlib.sha1()
    with open(path, 'rb') as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


_sha1_memo = {}


def _file_sha1(path):
    """SHA-1 of `path`, remembered while the file is not replaced or changed.

    ``download_extract`` would otherwise hash a large archive twice per call.
    """
    st = path.stat()
    key = (str(path.resolve()), st.st_ino, st.st_size, st.st_mtime_ns)
    if key not in _sha1_memo:
        _sha1_memo[key] = sha1(path)
    return _sha1_memo[key]


def mirror_folders():
    """The folders of ``$D2L_DATA_MIRROR`` that exist, in order."""
    value = os.environ.get('D2L_DATA_MIRROR', '')
    return [pathlib.Path(p) for p in value.split(os.pathsep) if p.strip()]


def _offline():
    """Whether ``$D2L_OFFLINE`` is true, parsed like ``D2L_QUICK``."""
    return os.environ.get('D2L_OFFLINE', '').strip().lower() in quickmode._TRUE


def _cache_folder(folder):
    if folder in (None, _DEFAULT_FOLDER) and os.environ.get('D2L_DATA_DIR'):
        return pathlib.Path(os.environ['D2L_DATA_DIR'])
    return pathlib.Path(folder if folder is not None else _DEFAULT_FOLDER)


def _from_mirror(name, sha1_hash):
    """Path of a verified mirror copy of `name`, or None."""
    accepted = {sha1_hash, REBUILT_MIRROR_SHA1.get(name)} - {None}
    for root in mirror_folders():
        for sub in _MIRROR_SUBFOLDERS:
            candidate = root / sub / name
            if candidate.is_file() and (not accepted
                                        or sha1(candidate) in accepted):
                return candidate
    return None


def _atomic_copy(src, dst):
    fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=f'.{dst.name}.')
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


# --- checking a file whose SHA-1 is not known -------------------------------

_HTML_STARTS = (b'<!doctype html', b'<html', b'<head', b'<body')


def _read_through(opener):
    """Decompress a whole stream: a stream cut short raises EOFError."""
    def check(path):
        with opener(path) as f:
            while f.read(1 << 20):
                pass
    return check


def _check_zip(path):
    with zipfile.ZipFile(path):     # needs the directory at the file's end
        pass


def _check_tar(path):
    size = os.path.getsize(path)
    with tarfile.open(path) as t:
        for m in t:
            if m.offset_data + m.size > size:
                raise EOFError(f'member {m.name!r} is cut short')


def _completeness_check(name):
    """The function that checks a file named `name` is whole, or None."""
    import bz2
    import gzip
    import lzma
    checks = [(('.zip',), _check_zip), (('.tar',), _check_tar),
              (('.gz', '.tgz'), _read_through(gzip.open)),
              (('.bz2', '.tbz2'), _read_through(bz2.open)),
              (('.xz', '.txz'), _read_through(lzma.open))]
    for suffixes, check in checks:
        if name.lower().endswith(suffixes):
            return check
    return None


def _body_problem(path, name):
    """Why the file at `path` is not a whole copy of `name`, or None.

    Where no SHA-1 is known this is all that can be verified: an empty body,
    an HTML page served in place of the file, and an archive or compressed
    stream that was cut short.
    """
    if os.path.getsize(path) == 0:
        return 'it is empty'
    with open(path, 'rb') as f:
        head = f.read(512).lstrip().lower()
    if head.startswith(_HTML_STARTS) and not name.lower().endswith(
            ('.html', '.htm')):
        return 'it is an HTML page (an error or login page?), not the file'
    check = _completeness_check(name)
    if check is None:
        return None
    try:
        check(path)
    except (EOFError, OSError, zipfile.BadZipFile, tarfile.TarError,
            ValueError) as err:
        return f'it is not a complete {name.rsplit(".", 1)[-1]} file ({err})'
    return None


def _cache_problem(path, name, sha1_hash):
    """Why the cached `path` cannot be used, or None if it can."""
    got = _file_sha1(path)
    if sha1_hash is not None:
        accepted = {sha1_hash, REBUILT_MIRROR_SHA1.get(name)}
        return None if got in accepted else (
            f'SHA-1 {got}, expected {sha1_hash}')
    problem = _body_problem(path, name)
    return None if problem is None else f'SHA-1 {got}: {problem}'


# --- download ----------------------------------------------------------------

def _save_body(r, url, tmp):
    """Write the streamed body of `r` to `tmp`; fail if it is cut short."""
    written = 0
    with open(tmp, 'wb') as f:
        for block in r.iter_content(1 << 20):
            f.write(block)
            written += len(block)
    length = r.headers.get('Content-Length')
    encoded = r.headers.get('Content-Encoding', 'identity') != 'identity'
    if (length or '').strip().isdigit() and not encoded and (
            written != int(length)):
        raise DataError(f'downloading {url} was cut short: {written} of '
                        f'{length} bytes arrived; the file was not kept')


def _verify_download(url, name, tmp, sha1_hash):
    """Check the body in `tmp` against the SHA-1, or as far as possible."""
    got = sha1(tmp)
    if sha1_hash is not None:
        if got != sha1_hash:
            raise DataError(f'{url} downloaded with SHA-1 {got}, expected '
                            f'{sha1_hash}; the file was not kept')
        return
    problem = _body_problem(tmp, name)
    if problem is not None:
        raise DataError(f'downloading {url}: {problem}; the file was not '
                        'kept')
    warnings.warn(f'{url} was downloaded without a SHA-1 to check it against;'
                  f' it was checked only for its length and type. Its SHA-1 '
                  f'is {got}: pass it as sha1_hash to pin this copy',
                  stacklevel=3)


def _fetch(url, dst, sha1_hash):
    """Download `url` to `dst` atomically, checking status, type and SHA-1."""
    import requests
    fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=f'.{dst.name}.')
    os.close(fd)
    try:
        try:
            with requests.get(url, stream=True, timeout=60) as r:
                if r.status_code != 200:
                    raise DataError(f'downloading {url} failed: HTTP '
                                    f'{r.status_code} {r.reason}')
                ctype = r.headers.get('Content-Type', '')
                if 'text/html' in ctype and not url.endswith(('.html', '.htm')):
                    raise DataError(f'downloading {url} returned an HTML page '
                                    '(an error or login page?), not the file')
                _save_body(r, url, tmp)
        except requests.RequestException as err:
            raise DataError(
                f'cannot download {dst.name} from {url} ({err}). To work '
                'offline, put the file in a folder listed in D2L_DATA_MIRROR '
                f'(now {os.environ.get("D2L_DATA_MIRROR", "unset")!r}) or in '
                f'the cache folder {dst.parent}') from None
        _verify_download(url, dst.name, tmp, sha1_hash)
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _offline_error(name, url, cache, problem):
    where = (f'{name} is cached in {cache} but corrupt ({problem})'
             if problem else f'{name} is not cached in {cache}')
    return DataError(
        f'{where}, and no mirror folder holds a copy with the right SHA-1 '
        f'(D2L_DATA_MIRROR={os.environ.get("D2L_DATA_MIRROR", "unset")!r}); '
        f'D2L_OFFLINE is set, so {url} was not fetched')


def download(url, folder='../data', sha1_hash=None):
    """Return the local path of the file at `url`, fetching it if needed.

    The cache, then the mirror folders, then the network are tried; the
    SHA-1 is checked at every step, and a corrupt cached copy is replaced.
    Without `sha1_hash` a file is checked only for length and type, on every
    call, and a download warns with the SHA-1 to pin. A ``DATA_HUB`` name
    instead of a URL stands for its registered URL and SHA-1, as in d2l 1.0.3.
    """
    if isinstance(url, str) and '/' not in url and url in DATA_HUB:
        url, sha1_hash = DATA_HUB[url]
    if not isinstance(url, str) or '/' not in url:
        raise ValueError(f'expected a URL ending in a file name or a '
                         f'DATA_HUB name, got {url!r}')
    name = url.rstrip('/').split('/')[-1]
    cache = _cache_folder(folder)
    cache.mkdir(parents=True, exist_ok=True)
    dst = cache / name
    problem = _cache_problem(dst, name, sha1_hash) if dst.is_file() else None
    if dst.is_file() and problem is None:
        return str(dst)
    mirrored = _from_mirror(name, sha1_hash)
    if mirrored is not None:
        _atomic_copy(mirrored, dst)
        return str(dst)
    if _offline():
        raise _offline_error(name, url, cache, problem)
    _fetch(url, dst, sha1_hash)
    return str(dst)


# --- extract -----------------------------------------------------------------

def _limit(name):
    """``EXTRACT_LIMITS[name]``, or its ``D2L_EXTRACT_<NAME>`` override."""
    var = f'D2L_EXTRACT_{name.upper()}'
    value = os.environ.get(var, '').strip()
    if not value:
        return EXTRACT_LIMITS[name]
    try:
        return int(value)
    except ValueError:
        raise ValueError(f'{var} must be an integer, got {value!r}') from None


def _check_size(path, members, total):
    """Refuse an archive over ``EXTRACT_LIMITS`` before anything is written.

    `members` and `total` (uncompressed bytes) may be running counts.
    """
    how = ('; if you trust it, raise d2l.hub.EXTRACT_LIMITS[{0!r}] or set '
           'D2L_EXTRACT_{1}')
    if members > _limit('max_members'):
        raise DataError(f'{path.name} has more than {_limit("max_members")} '
                        'members; refusing to extract'
                        + how.format('max_members', 'MAX_MEMBERS'))
    if total > _limit('max_bytes'):
        raise DataError(f'{path.name} would unpack to more than '
                        f'{_limit("max_bytes")} bytes; refusing to extract'
                        + how.format('max_bytes', 'MAX_BYTES'))
    ratio = total / max(path.stat().st_size, 1)
    if total > _limit('ratio_from_bytes') and ratio > _limit('max_ratio'):
        raise DataError(f'{path.name} would unpack to {total} bytes, '
                        f'{ratio:.0f} times its size (a zip bomb?); refusing '
                        'to extract' + how.format('max_ratio', 'MAX_RATIO'))


def _safe_target(base, name):
    """`base/name` resolved, or an error if it would leave `base`."""
    if os.path.isabs(name) or name.startswith(('/', '\\')):
        raise DataError(f'archive member {name!r} has an absolute path; '
                        'refusing to extract')
    target = (base / name).resolve()
    if target != base and base not in target.parents:
        raise DataError(f'archive member {name!r} would be written outside '
                        f'{base}; refusing to extract')
    if target != base and target.relative_to(base).parts[0] == _STATE:
        raise DataError(f'archive member {name!r} uses the name {_STATE}, '
                        'which extract keeps for itself; refusing to extract')
    return target


def _check_tar_member(base, member, links):
    """Refuse a member that escapes `base`, is special, or is under a link."""
    target = _safe_target(base, member.name)
    if any(p in links for p in target.parents):
        raise DataError(f'archive member {member.name!r} lies under a link '
                        'of the archive; refusing to extract')
    if member.issym() or member.islnk():
        link = (target.parent / member.linkname if member.issym()
                else base / member.linkname)
        if os.path.isabs(member.linkname):
            raise DataError(f'archive link {member.name!r} points to the '
                            f'absolute path {member.linkname!r}; refusing')
        _safe_target(base, os.path.relpath(link, base))
        links.add(target)
    elif not (member.isfile() or member.isdir()):
        raise DataError(f'archive member {member.name!r} is a device or '
                        'fifo; refusing to extract')


def _unpack_zip(path, staging):
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        _check_size(path, len(infos), sum(i.file_size for i in infos))
        for info in infos:
            _safe_target(staging, info.filename)
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                raise DataError(f'zip member {info.filename!r} is a '
                                'symbolic link; refusing to extract')
        z.extractall(staging)


def _unpack_tar(path, staging):
    with tarfile.open(path) as t:
        members, total, links = [], 0, set()
        for m in t:                  # headers one at a time: stop a bomb early
            members.append(m)
            total += m.size
            _check_size(path, len(members), total)
            _check_tar_member(staging, m, links)
        if hasattr(tarfile, 'data_filter'):   # Python >= 3.11.4
            t.extractall(staging, members=members, filter='data')
        else:
            t.extractall(staging, members=members)


def _unpack(path, staging):
    """Check and unpack the archive `path` into the empty folder `staging`."""
    import lzma
    import zlib
    try:
        if zipfile.is_zipfile(path):
            _unpack_zip(path, staging)
        else:
            _unpack_tar(path, staging)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error,
            lzma.LZMAError) as err:
        raise DataError(f'{path} is corrupt ({type(err).__name__}: {err}); '
                        'nothing was extracted') from err
    except OSError as err:
        raise DataError(f'cannot extract {path} ({err}); nothing was '
                        'extracted') from err


def _try_lock(fd):
    """Take the kernel's exclusive lock on `fd` without waiting.

    Returns True when held, False when another holder has it, None when this
    platform or file system offers no lock.
    """
    try:
        import fcntl
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except ImportError:
        pass
    except OSError as err:
        if err.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
            return False
        return None                  # e.g. ENOLCK on some network mounts
    try:
        import msvcrt                # Windows
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return True
    except ImportError:
        return None
    except OSError:
        return False


@contextlib.contextmanager
def _locked(path, timeout=None):
    """Hold an exclusive lock on the file `path` while the block runs.

    The lock is the kernel's (``flock`` on Linux and macOS, ``msvcrt`` on
    Windows), so a process that dies releases it and a lock file left behind
    is never stale. Yields False where no lock is available: the staging and
    renaming still keep every file whole, but two processes may then both
    unpack the archive.
    """
    timeout = _LOCK_TIMEOUT_S if timeout is None else timeout
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while (held := _try_lock(fd)) is False:
            if time.monotonic() > deadline:
                raise DataError(f'another process has held {path} for over '
                                f'{timeout} s while unpacking; try again later')
            time.sleep(0.05)
        yield bool(held)
    finally:
        os.close(fd)                 # closing the file releases the lock


def _marked(state, digest):
    """The top-level names the marker of archive `digest` lists, or None."""
    try:
        return list(json.loads((state / digest).read_text())['tops'])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _done(state, digest, base):
    """The top-level names unpacked from the archive `digest`, or None.

    None also when the marker exists but a name it lists was removed since.
    """
    tops = _marked(state, digest)
    if tops is None or not all(os.path.lexists(base / t) for t in tops):
        return None
    return tops


def _mark(state, digest, tops, archive):
    """Record that `archive` is unpacked; forget archives it overwrote."""
    for marker in state.iterdir():
        if _SHA1.fullmatch(marker.name) and marker.name != digest:
            if set(_marked(state, marker.name) or ()) & set(tops):
                marker.unlink()
    tmp = state / f'tmp-{digest}.json'
    tmp.write_text(json.dumps({'archive': archive, 'tops': tops}))
    os.replace(tmp, state / digest)


def _move_into_place(staging, base, tops, state):
    """Rename each top-level entry of `staging` into `base`.

    A new name appears whole in one rename. An existing file is replaced in
    one rename too; an existing folder is first renamed aside, so for a
    moment its name is missing, but no reader ever sees half a file.
    """
    for top in tops:
        src, dst = staging / top, base / top
        if os.path.lexists(dst) and (src.is_dir() or dst.is_dir()):
            trash = pathlib.Path(tempfile.mkdtemp(dir=state, prefix='old-'))
            os.replace(dst, trash / top)
            os.replace(src, dst)
            shutil.rmtree(trash, ignore_errors=True)
        else:
            os.replace(src, dst)


def _clear_leftovers(state):
    """Remove the staging folders of a process that died while unpacking."""
    for old in [*state.glob('tmp-*'), *state.glob('old-*')]:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink()


def _result(base, tops):
    if len(tops) == 1 and (base / tops[0]).is_dir():
        return str(base / tops[0])
    return str(base)


def extract(filename, folder=None):
    """Unpack a zip or tar archive next to it (or into `folder`), once.

    Returns the folder the archive unpacks into: its single top-level folder
    if it has one, else the target folder. A later call with the same archive
    (same SHA-1) returns at once; a changed archive replaces what the old one
    unpacked. Nothing is written unless the whole archive is valid.
    """
    path = pathlib.Path(filename)
    if not (zipfile.is_zipfile(path) or tarfile.is_tarfile(path)):
        raise DataError(f'{path} is neither a zip nor a tar archive')
    base = pathlib.Path(folder or path.parent).resolve()
    state = base / _STATE
    digest = _file_sha1(path)
    if (tops := _done(state, digest, base)) is not None:
        return _result(base, tops)
    state.mkdir(parents=True, exist_ok=True)
    with _locked(state / 'lock') as exclusive:
        if (tops := _done(state, digest, base)) is not None:
            return _result(base, tops)     # another process just did it
        if exclusive:
            _clear_leftovers(state)
        staging = pathlib.Path(tempfile.mkdtemp(dir=state, prefix='tmp-'))
        try:
            _unpack(path, staging)
            tops = sorted(os.listdir(staging))
            _move_into_place(staging, base, tops, state)
            _mark(state, digest, tops, path.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return _result(base, tops)


def download_extract(name, folder=None):
    """Download the DATA_HUB entry `name`, unpack it in the cache folder.

    Returns ``<cache>/<folder>`` when `folder` is given, else the folder the
    archive unpacks into.
    """
    if name not in DATA_HUB:
        raise KeyError(f'{name!r} is not in DATA_HUB; known names: '
                       f'{sorted(DATA_HUB)}')
    url, sha1_hash = DATA_HUB[name]
    path = download(url, sha1_hash=sha1_hash)
    unpacked = extract(path)
    return str(pathlib.Path(path).parent / folder) if folder else unpacked
