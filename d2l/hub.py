"""Download, verify, cache and unpack the book's data files.

Every file is known by its canonical URL and SHA-1. ``download`` looks for
the file, in this order:

1. the cache folder (``folder``; by default ``../data`` relative to the
   working directory, i.e. ``chapters/data`` for a notebook, or
   ``$D2L_DATA_DIR`` when set) — used if its SHA-1 matches;
2. each mirror folder in ``$D2L_DATA_MIRROR`` (``os.pathsep``-separated),
   searched by the canonical file name (also in its ``fashion-mnist/`` and
   ``img/`` subfolders) — copied into the cache if its SHA-1 is the canonical
   one or a known rebuilt copy;
3. the network — the body is checked (HTTP status, HTML error pages,
   SHA-1) before it atomically replaces the cache file.

``extract`` unpacks zip and tar archives and refuses absolute paths, ``..``
traversal and links that point outside the target folder.
"""
import hashlib
import os
import pathlib
import shutil
import tarfile
import tempfile
import zipfile

__all__ = ['DATA_HUB', 'DATA_URL', 'download', 'extract', 'download_extract',
           'mirror_folders', 'sha1', 'DataError']

#: name -> (url, sha1) of every file the book downloads by name.
DATA_HUB = {}
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


class DataError(RuntimeError):
    """A data file could not be obtained or is not what it should be."""


def sha1(path, chunk=1 << 20):
    """Hex SHA-1 of a file, read in 1 MiB chunks."""
    h = hashlib.sha1()
    with open(path, 'rb') as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def mirror_folders():
    """The folders of ``$D2L_DATA_MIRROR`` that exist, in order."""
    value = os.environ.get('D2L_DATA_MIRROR', '')
    return [pathlib.Path(p) for p in value.split(os.pathsep) if p.strip()]


def _cache_folder(folder):
    if folder == _DEFAULT_FOLDER and os.environ.get('D2L_DATA_DIR'):
        return pathlib.Path(os.environ['D2L_DATA_DIR'])
    return pathlib.Path(folder)


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
                with open(tmp, 'wb') as f:
                    for block in r.iter_content(1 << 20):
                        f.write(block)
        except requests.RequestException as err:
            raise DataError(
                f'cannot download {dst.name} from {url} ({err}). To work '
                'offline, put the file in a folder listed in D2L_DATA_MIRROR '
                f'(now {os.environ.get("D2L_DATA_MIRROR", "unset")!r}) or in '
                f'the cache folder {dst.parent}') from None
        got = sha1(tmp)
        if sha1_hash and got != sha1_hash:
            raise DataError(f'{url} downloaded with SHA-1 {got}, expected '
                            f'{sha1_hash}; the file was not kept')
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def download(url, folder='../data', sha1_hash=None):
    """Return the local path of the file at `url`, fetching it if needed.

    The cache, then the mirror folders, then the network are tried; the
    SHA-1 is checked at every step, and a corrupt cached copy is replaced.
    """
    if not isinstance(url, str) or '/' not in url:
        raise ValueError(f'expected a URL ending in a file name, got {url!r}')
    name = url.rstrip('/').split('/')[-1]
    cache = _cache_folder(folder)
    cache.mkdir(parents=True, exist_ok=True)
    dst = cache / name
    if dst.is_file() and (sha1_hash is None or sha1(dst) == sha1_hash
                          or sha1(dst) == REBUILT_MIRROR_SHA1.get(name)):
        return str(dst)
    mirrored = _from_mirror(name, sha1_hash)
    if mirrored is not None:
        _atomic_copy(mirrored, dst)
        return str(dst)
    if os.environ.get('D2L_OFFLINE'):
        raise DataError(
            f'{name} is not cached in {cache} and no mirror folder holds a '
            f'copy with the right SHA-1 (D2L_DATA_MIRROR='
            f'{os.environ.get("D2L_DATA_MIRROR", "unset")!r}); D2L_OFFLINE '
            f'is set, so {url} was not fetched')
    _fetch(url, dst, sha1_hash)
    return str(dst)


def _safe_target(base, name):
    """`base/name` resolved, or an error if it would leave `base`."""
    if os.path.isabs(name) or name.startswith(('/', '\\')):
        raise DataError(f'archive member {name!r} has an absolute path; '
                        'refusing to extract')
    target = (base / name).resolve()
    if target != base and base not in target.parents:
        raise DataError(f'archive member {name!r} would be written outside '
                        f'{base}; refusing to extract')
    return target


def _check_tar_member(base, member):
    target = _safe_target(base, member.name)
    if member.issym() or member.islnk():
        link = (target.parent / member.linkname if member.issym()
                else base / member.linkname)
        if os.path.isabs(member.linkname):
            raise DataError(f'archive link {member.name!r} points to the '
                            f'absolute path {member.linkname!r}; refusing')
        _safe_target(base, os.path.relpath(link, base))
    elif not (member.isfile() or member.isdir()):
        raise DataError(f'archive member {member.name!r} is a device or '
                        'fifo; refusing to extract')


def extract(filename, folder=None):
    """Unpack a zip or tar archive next to it (or into `folder`).

    Returns the folder the archive unpacks into: its single top-level folder
    if it has one, else the target folder.
    """
    path = pathlib.Path(filename)
    base = pathlib.Path(folder or path.parent).resolve()
    base.mkdir(parents=True, exist_ok=True)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            for info in z.infolist():
                _safe_target(base, info.filename)
                if (info.external_attr >> 16) & 0o170000 == 0o120000:
                    raise DataError(f'zip member {info.filename!r} is a '
                                    'symbolic link; refusing to extract')
            z.extractall(base)
    elif tarfile.is_tarfile(path):
        with tarfile.open(path) as t:
            members = t.getmembers()
            for m in members:
                _check_tar_member(base, m)
            names = [m.name for m in members]
            if hasattr(tarfile, 'data_filter'):   # Python >= 3.11.4
                t.extractall(base, members=members, filter='data')
            else:
                t.extractall(base, members=members)
    else:
        raise DataError(f'{path} is neither a zip nor a tar archive')
    tops = {n.replace('\\', '/').lstrip('./').split('/')[0]
            for n in names if n.strip('./')}
    if len(tops) == 1 and (base / next(iter(tops))).is_dir():
        return str(base / next(iter(tops)))
    return str(base)


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
