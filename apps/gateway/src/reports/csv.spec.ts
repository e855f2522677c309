import { csvCell, csvLine, csvTable } from './csv';

describe(csvCell.name, () => {
  it('quotes commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('turns a text that a spreadsheet would run as a formula into text', () => {
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('=HYPERLINK("x","y")')).toBe('"\'=HYPERLINK(""x"",""y"")"');
  });

  it('writes numbers as numbers, negative ones too, and nothing for null', () => {
    expect(csvCell(-120)).toBe('-120');
    expect(csvCell(null)).toBe('');
  });
});

describe(csvTable.name, () => {
  it('writes the header and one CRLF line per row', () => {
    const rows = [{ month: '2026-11', points: 3 }];
    expect(
      csvTable<(typeof rows)[number]>(
        [
          ['month', (row) => row.month],
          ['points', (row) => row.points],
        ],
        rows,
      ),
    ).toBe('month,points\r\n2026-11,3\r\n');
    expect(csvLine(['a', 1])).toBe('a,1\r\n');
  });
});
