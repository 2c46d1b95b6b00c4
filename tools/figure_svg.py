"""The frame every hand-drawn SVG figure of the book shares.

The figure scripts in chapters/<chapter>/img/ draw their diagrams as SVG
text. What they have in common lives here: matplotlib's tab10 colours (so
diagrams match the plots), and `document`, which wraps a figure's elements
in an <svg> element with an accessible <title> and <desc>, the arrow-head
marker the scripts' lines refer to, and a white background. A script run
from its own folder imports this module with::

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3]
                           / 'tools'))
    import figure_svg

tests/tools/test_figure_svg.py reruns every figure script and checks that
the committed figures are exactly what the scripts draw.
"""
import pathlib
from xml.sax.saxutils import escape

# matplotlib's tab10 palette, and the ink of text and outlines
BLUE, ORANGE, GREEN, RED = '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'
PURPLE, BROWN, PINK, GRAY = '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'
OLIVE, CYAN = '#bcbd22', '#17becf'
INK = '#333333'


def document(width, height, title, body, desc=None, *, font_size=12,
             marker='tip', marker_color=GRAY, escape_text=False):
    """The SVG text of one figure.

    `body` is a list of SVG element strings, one per line. `title` (and
    `desc`, when given) name the figure for screen readers and the site;
    `escape_text` escapes &, < and > in them. Lines end in an arrow head
    with ``marker-end="url(#<marker>)"``.
    """
    if not title:
        raise ValueError('every figure needs a title')
    if escape_text:
        title = escape(title)
        desc = None if desc is None else escape(desc)
    head = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" '
            f'font-family="sans-serif" font-size="{font_size}">',
            f'  <title>{title}</title>']
    if desc is not None:
        head.append(f'  <desc>{desc}</desc>')
    head += [f'  <defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" '
             'refY="5" markerWidth="6" markerHeight="6" orient="auto">'
             f'<path d="M0,0 L10,5 L0,10 z" fill="{marker_color}"/>'
             '</marker></defs>',
             f'  <rect width="{width}" height="{height}" fill="#ffffff"/>']
    return '\n'.join(head + ['  ' + line for line in body]) + '\n</svg>\n'


def write(path, text):
    """Write one figure as UTF-8 (the same bytes on every platform)."""
    pathlib.Path(path).write_text(text, encoding='utf-8', newline='\n')


def _attributes(attrs):
    """SVG attributes from keyword arguments (font_size -> font-size)."""
    return ''.join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())


def text(x, y, s, anchor='middle', **attrs):
    """A <text> element anchored at (x, y); extra SVG attributes as
    keywords, e.g. ``font_size=11``."""
    return (f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"'
            f'{_attributes(attrs)}>{s}</text>')


def rect(x, y, w, h, fill='#ffffff', stroke=INK, **attrs):
    """A rectangle with its top-left corner at (x, y)."""
    return (f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" '
            f'fill="{fill}" stroke="{stroke}"{_attributes(attrs)}/>')


def arrow(x1, y1, x2, y2, color=GRAY, marker='tip'):
    """A straight arrow from (x1, y1) to (x2, y2), ending in the document's
    arrow-head `marker`."""
    return (f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" '
            f'stroke="{color}" stroke-width="1.5" '
            f'marker-end="url(#{marker})"/>')


def line(x1, y1, x2, y2, tip=True, color=GRAY, dash=False):
    """A straight line, ending in the 'tip' arrow head unless tip=False."""
    extra = ' stroke-dasharray="4 3"' if dash else ''
    end = ' marker-end="url(#tip)"' if tip else ''
    return (f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" '
            f'stroke="{color}" stroke-width="1.5"{extra}{end}/>')


def path(points, tip=True, color=GRAY):
    """A polyline through `points`, ending in the 'tip' arrow head."""
    d = ' '.join(f'{"M" if i == 0 else "L"}{x:g},{y:g}'
                 for i, (x, y) in enumerate(points))
    end = ' marker-end="url(#tip)"' if tip else ''
    return (f'<path d="{d}" fill="none" stroke="{color}" stroke-width="1.5"'
            f'{end}/>')
