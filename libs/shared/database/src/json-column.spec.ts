import { jsonColumn } from './json-column';

describe(jsonColumn.name, () => {
  it('parses JSON that arrives as text', () => {
    expect(jsonColumn('{"rate":"0.95"}')).toEqual({ rate: '0.95' });
    expect(jsonColumn('"manual"')).toBe('manual');
  });

  it('keeps what the driver parsed already, bare strings included', () => {
    expect(jsonColumn({ rate: '0.95' })).toEqual({ rate: '0.95' });
    expect(jsonColumn('manual')).toBe('manual');
  });
});
