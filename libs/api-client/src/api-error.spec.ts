import { ApiError, UNEXPECTED_RESPONSE, apiErrorOf } from './api-error';

describe('apiErrorOf', () => {
  const noHeaders = new Headers();

  it('keeps the API error body and the status', () => {
    const body = {
      code: 'POINTS_INSUFFICIENT',
      message: 'Not enough points',
      details: { available: 10 },
      correlationId: 'c-1',
    };
    const error = apiErrorOf(422, JSON.stringify(body), noHeaders);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      name: 'ApiError',
      message: '422 POINTS_INSUFFICIENT: Not enough points',
      status: 422,
      code: 'POINTS_INSUFFICIENT',
      details: { available: 10 },
      correlationId: 'c-1',
      body,
    });
  });

  it('stands in for an answer that is not the API error body, with the correlation id header', () => {
    const error = apiErrorOf(
      502,
      '<html>Bad gateway</html>',
      new Headers({ 'x-correlation-id': 'c-2' }),
    );

    expect(error).toMatchObject({
      status: 502,
      code: UNEXPECTED_RESPONSE,
      details: { body: '<html>Bad gateway</html>' },
      correlationId: 'c-2',
    });
  });
});
