"""Tests of Section 13.4 (hardware): the notebook-local helpers
`parse_size`, `cache_sizes` and `sum_rate`, and the promise of the section's
table that every figure has a source (its timings use d2l.timing, tested in
test_timing.py).

The helpers are executed from the notebook's own cells (found by their
first line). Oracles: hand-computed sizes, a fake sysfs tree, the
bibliography, and the arithmetic of the
specifications (transfer rate x width).
"""
import os
import pathlib
import re

import pytest

from notebook_cells import notebook_code

ROOT = pathlib.Path(__file__).resolve().parents[2]
SECTION = ROOT / 'chapters' / 'computational-performance' / 'hardware.md'
FIGURES = SECTION.parent / 'img' / 'hardware_figures.py'
DEFINES = ('def parse_size(', 'def sum_rate(')


def definition_only(cell):
    """sum_rate's cell without the sweep after it; other cells whole."""
    if cell.startswith('def sum_rate('):
        return cell.split('\n\nsizes = ')[0]
    return cell


# parse_size's cell ends by reading this machine's caches ({} without sysfs)
NB = notebook_code('computational-performance/hardware.md', DEFINES,
                   trim=definition_only, os=os, pathlib=pathlib,
                   num_rounds=2)


@pytest.mark.parametrize('text, size', [('48K', 48 * 1024),
                                        ('32768K\n', 32 * 2**20),
                                        ('2M', 2 * 2**20), ('1G', 2**30),
                                        ('512', 512)])
def test_parse_size_reads_linux_cache_sizes(text, size):
    assert NB['parse_size'](text) == size


@pytest.mark.parametrize('text', ['', 'K', '1.5M', 'big'])
def test_parse_size_names_what_it_cannot_read(text):
    with pytest.raises(ValueError, match='cannot read a cache size'):
        NB['parse_size'](text)


def test_cache_sizes_keeps_data_and_unified_caches(tmp_path):
    for i, (level, kind, size) in enumerate([('1', 'Data', '48K'),
                                             ('1', 'Instruction', '32K'),
                                             ('2', 'Unified', '1024K'),
                                             ('3', 'Unified', '32768K')]):
        index = tmp_path / f'index{i}'
        index.mkdir()
        (index / 'level').write_text(level + '\n')
        (index / 'type').write_text(kind + '\n')
        (index / 'size').write_text(size + '\n')
    assert NB['cache_sizes'](str(tmp_path)) == {
        'L1': 48 * 1024, 'L2': 2**20, 'L3': 32 * 2**20}
    assert NB['cache_sizes'](str(tmp_path / 'missing')) == {}


def test_sum_rate_is_a_positive_rate():
    rate = NB['sum_rate'](2**14, total=2**18)
    assert rate > 1e6                                  # bytes per second


def table_rows():
    text = SECTION.read_text()
    block = text.split(':name: tab-hardware-numbers\n')[1].split(':::')[0]
    rows = [line.split('|')[1:-1] for line in block.strip().splitlines()[2:]]
    return [[cell.strip() for cell in row] for row in rows]


def test_every_row_of_the_table_has_a_source_in_the_bibliography():
    bib = (ROOT / 'chapters' / 'references.bib').read_text()
    keys = set(re.findall(r'^@\w+\{([^,]+),', bib, flags=re.M))
    rows = table_rows()
    assert len(rows) == 18
    for what, time, rate, source in rows:
        cited = re.fullmatch(r'\{cite:p\}`([^`]+)`', source)
        assert cited and cited.group(1) in keys, (what, source)
        assert re.fullmatch(r'[\d.,]+ (ns|µs|ms)', time), (what, time)


def seconds(time):
    number, unit = time.split()
    return float(number.replace(',', '')) * {'ns': 1e-9, 'µs': 1e-6,
                                             'ms': 1e-3}[unit]


def test_derived_rows_follow_from_the_specifications():
    rows = {what: (time, rate) for what, time, rate, _ in table_rows()}
    pcie = 128 / 130 / 8                     # line code, bits to bytes
    derived = {
        '1 MB from one DDR5-4800 memory channel': 4800e6 * 8,
        '1 MB over PCIe 4.0 x16': 16e9 * 16 * pcie,
        '1 MB over PCIe 5.0 x16': 32e9 * 16 * pcie,
        '1 MB from an NVMe drive on PCIe 4.0 x4': 16e9 * 4 * pcie,
        '1 MB over 100 Gbit/s Ethernet': 100e9 / 8,
        '1 MB out of an H100 over all its NVLink links': 900e9 / 2,
        '1 MB from an H200\'s HBM3e memory': 4800e9}
    for start, bytes_per_s in derived.items():
        (time, rate), = [v for k, v in rows.items() if k.startswith(start)]
        assert float(rate.split()[0].replace(',', '')) == pytest.approx(
            bytes_per_s / 1e9, rel=0.01), start
        assert seconds(time) == pytest.approx(1e6 / bytes_per_s,
                                              rel=0.06), start


def test_the_ladder_figure_draws_the_times_of_the_table():
    namespace = {'__file__': str(FIGURES), '__name__': 'figures'}
    exec(compile(FIGURES.read_text(), str(FIGURES), 'exec'), namespace)
    drawn = sorted(s for _, s, _ in namespace['TIMES'])
    table = sorted(seconds(time) for _, time, _, _ in table_rows())
    assert drawn == pytest.approx(table)
