import { ErrorCode } from '@member-system/contracts';
import {
  AppException,
  ServiceUnavailableException,
  ValidationFailedException,
  toErrorBody,
} from './app.exception';

class MemberNotFoundException extends AppException {
  constructor(memberId: string) {
    super(ErrorCode.MemberNotFound, `Member ${memberId} was not found`, { memberId });
  }
}

const internal = { code: ErrorCode.Internal, message: 'An internal error occurred' };

describe(AppException.name, () => {
  it('is named after the subclass that was thrown', () => {
    const sut = new MemberNotFoundException('1001');

    expect(sut).toBeInstanceOf(Error);
    expect(sut.name).toBe('MemberNotFoundException');
    expect(sut.logLevel).toBe('info');
  });

  it('serialises to {code, message, details}', () => {
    expect(new MemberNotFoundException('1001').toBody()).toEqual({
      code: ErrorCode.MemberNotFound,
      message: 'Member 1001 was not found',
      details: { memberId: '1001' },
    });
  });

  it('leaves details out of the body when there are none', () => {
    const body = new AppException(ErrorCode.Conflict, 'Already there').toBody();

    expect(body).toEqual({ code: ErrorCode.Conflict, message: 'Already there' });
    expect(Object.keys(body)).not.toContain('details');
  });
});

describe(ValidationFailedException.name, () => {
  it('carries the failing fields under details.fields', () => {
    const sut = new ValidationFailedException({ name: ['name must be a string'] });

    expect(sut.toBody()).toEqual({
      code: ErrorCode.ValidationFailed,
      message: 'The request is not valid',
      details: { fields: { name: ['name must be a string'] } },
    });
  });
});

describe(ServiceUnavailableException.name, () => {
  it('names the dependency and logs at warn', () => {
    const sut = new ServiceUnavailableException('mysql');

    expect(sut.code).toBe(ErrorCode.ServiceUnavailable);
    expect(sut.message).toBe('mysql is unavailable, try again shortly');
    expect(sut.details).toEqual({ dependency: 'mysql' });
    expect(sut.logLevel).toBe('warn');
  });
});

describe(toErrorBody.name, () => {
  const sut = toErrorBody;

  it('passes an AppException through as its body', () => {
    expect(sut(new MemberNotFoundException('1001'))).toEqual(
      new MemberNotFoundException('1001').toBody(),
    );
  });

  it.each([
    ['an Error', new Error("ER_ACCESS_DENIED: Access denied for user 'root'@'10.0.0.5'")],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a string', 'password=hunter2'],
    ['an object shaped like an error body', { code: ErrorCode.NotFound, message: 'secret' }],
    ['null', null],
    ['undefined', undefined],
  ])('hides %s behind a generic internal error', (_name, error) => {
    const body = sut(error);

    expect(body).toEqual(internal);
    expect(JSON.stringify(body)).not.toMatch(/root|hunter2|secret|reading/);
  });
});
