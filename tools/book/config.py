"""Where the book lives online: its repository and its site, configured once.

The one place is ``pyproject.toml`` beside ``chapters/``::

    [project.urls]
    Repository = "https://github.com/<owner>/<name>"   # clone URL, Colab links
    Documentation = "https://<the site>/"               # links in notebooks

plus, optionally, ``[tool.d2l-book] branch = "main"`` (the branch the Colab
links open). Both URLs are optional: without a repository the site shows no
"Open in Colab" button and ``{{ repository }}`` in prose reads as a neutral
phrase; without a site, references in reader notebooks are plain text.
A placeholder (``OWNER/REPO``, ``example.com``, ``<...>``) is an error, so a
template value can never reach readers.
"""
import dataclasses
import pathlib
import re

try:
    import tomllib
except ImportError:                      # Python 3.10
    import tomli as tomllib

GITHUB = re.compile(r'https://github\.com/(?P<slug>[\w.-]+/[\w.-]+?)(?:\.git)?/?$')
PLACEHOLDER = re.compile(
    r'owner/repo|your[-_]?(name|user|org)|example\.(com|org|net)|<[^>]*>|'
    r'\bTODO\b|\bXXX\b|\bchangeme\b', re.I)
NEUTRAL_REPOSITORY = "the book's repository"          # in prose
NEUTRAL_REPOSITORY_CODE = '<URL of the repository>'   # in a command (no quote: shells)


class ConfigError(ValueError):
    """A configured URL that is malformed or a placeholder."""


@dataclasses.dataclass(frozen=True)
class Config:
    repository: str | None = None      # https://github.com/owner/name
    site: str | None = None            # https://host/path (no trailing /)
    branch: str = 'main'

    @property
    def github(self):
        """'owner/name' of a GitHub repository, else None."""
        m = GITHUB.match(self.repository or '')
        return m['slug'] if m else None

    def colab_url(self, relpath):
        """The "Open in Colab" address of a notebook, or None (no repository)."""
        if not self.github:
            return None
        return (f'https://colab.research.google.com/github/{self.github}/'
                f'blob/{self.branch}/{relpath}')

    def repository_text(self, code=False):
        """What ``{{ repository }}`` becomes, in prose or in code."""
        if self.repository:
            return self.repository
        return NEUTRAL_REPOSITORY_CODE if code else NEUTRAL_REPOSITORY

    def page_url(self, doc, anchor=''):
        """The site address of page `doc` (``chapter/section``), or None."""
        if not self.site:
            return None
        return f'{self.site}/{doc}.html' + (f'#{anchor}' if anchor else '')


def check_url(name, url):
    if not isinstance(url, str) or not re.match(r'https?://[^\s/]+\.[^\s/]+', url):
        raise ConfigError(f'pyproject.toml [project.urls] {name} = {url!r} '
                          'is not an http(s) URL')
    if PLACEHOLDER.search(url):
        raise ConfigError(f'pyproject.toml [project.urls] {name} = {url!r} '
                          'is a placeholder; give the real URL or remove it')
    return url.rstrip('/')


def load(chapters_dir):
    """The Config of the book whose chapters/ folder is `chapters_dir`."""
    path = pathlib.Path(chapters_dir).resolve().parent / 'pyproject.toml'
    if not path.exists():
        return Config()
    data = tomllib.loads(path.read_text())
    urls = {k.lower(): v for k, v in
            data.get('project', {}).get('urls', {}).items()}
    repo = urls.get('repository')
    site = urls.get('documentation')
    repo = check_url('Repository', repo) if repo is not None else None
    site = check_url('Documentation', site) if site is not None else None
    if repo is not None and not GITHUB.match(repo):
        raise ConfigError(f'pyproject.toml [project.urls] Repository = {repo!r}'
                          ': Colab opens notebooks from GitHub only; give '
                          'https://github.com/<owner>/<name>')
    branch = data.get('tool', {}).get('d2l-book', {}).get('branch', 'main')
    if not re.fullmatch(r'[\w./-]+', str(branch)) or PLACEHOLDER.search(branch):
        raise ConfigError(f'[tool.d2l-book] branch = {branch!r} is not a branch name')
    return Config(repo, site, branch)
