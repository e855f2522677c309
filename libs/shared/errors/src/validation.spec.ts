import { Type } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, Length, Min, ValidateNested } from 'class-validator';
import { ErrorCode } from '@member-system/contracts';
import { ValidationFailedException } from './app.exception';
import { flattenValidationErrors, validateDto } from './validation';

class AddressDto {
  @IsString()
  city!: string;
}

class LineDto {
  @IsString()
  sku!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

class OrderDto {
  @IsString()
  @Length(1, 10)
  name!: string;

  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => LineDto)
  lines?: LineDto[];
}

const valid = { name: 'Ann', address: { city: 'Hangzhou' }, lines: [{ sku: 'A1', quantity: 2 }] };

/** The `fields` map of the ValidationFailedException that `promise` rejects with. */
async function failingFields(promise: Promise<unknown>): Promise<Record<string, string[]>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ValidationFailedException) {
      return (error.details as { fields: Record<string, string[]> }).fields;
    }
    throw error;
  }
  throw new Error('expected a ValidationFailedException');
}

describe(validateDto.name, () => {
  const sut = validateDto;

  it('returns a DTO instance with nested instances for valid input', async () => {
    const dto = await sut(OrderDto, valid);

    expect(dto).toBeInstanceOf(OrderDto);
    expect(dto.address).toBeInstanceOf(AddressDto);
    expect(dto.lines?.[0]).toBeInstanceOf(LineDto);
    expect(dto).toEqual(valid);
  });

  it('fails with VALIDATION_FAILED', async () => {
    await expect(sut(OrderDto, { ...valid, name: '' })).rejects.toBeInstanceOf(
      ValidationFailedException,
    );
    await expect(sut(OrderDto, { ...valid, name: '' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
    });
  });

  it('rejects an unknown field by name', async () => {
    const fields = await failingFields(sut(OrderDto, { ...valid, nmae: 'typo' }));

    expect(Object.keys(fields)).toEqual(['nmae']);
    expect(fields.nmae?.join()).toMatch(/should not exist/);
  });

  it('rejects an unknown field inside a nested object by its path', async () => {
    const fields = await failingFields(
      sut(OrderDto, { ...valid, address: { city: 'Hangzhou', zip: '310000' } }),
    );

    expect(Object.keys(fields)).toEqual(['address.zip']);
  });

  it('reports nested field paths, array items by index', async () => {
    const fields = await failingFields(
      sut(OrderDto, {
        name: 'Ann',
        address: { city: 42 },
        lines: [
          { sku: 'A1', quantity: 2 },
          { sku: 'B2', quantity: 0 },
        ],
      }),
    );

    expect(Object.keys(fields).sort()).toEqual(['address.city', 'lines.1.quantity']);
    expect(fields['address.city']).toEqual(['city must be a string']);
  });

  it('reports a missing required field', async () => {
    const fields = await failingFields(sut(OrderDto, { address: { city: 'Hangzhou' } }));

    expect(Object.keys(fields)).toEqual(['name']);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an array', [valid]],
    ['a string', JSON.stringify(valid)],
    ['a number', 42],
  ])('rejects %s as the body', async (_name, input) => {
    await expect(failingFields(sut(OrderDto, input))).resolves.toEqual({
      body: ['must be a JSON object'],
    });
  });
});

describe(flattenValidationErrors.name, () => {
  const sut = flattenValidationErrors;

  it('prefixes nested properties with their parent path', () => {
    expect(
      sut([
        {
          property: 'address',
          children: [{ property: 'city', constraints: { isString: 'city must be a string' } }],
        },
        {
          property: 'name',
          constraints: { isString: 'name must be a string', length: 'too long' },
        },
      ]),
    ).toEqual({
      'address.city': ['city must be a string'],
      name: ['name must be a string', 'too long'],
    });
  });
});
