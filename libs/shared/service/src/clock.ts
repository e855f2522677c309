/** All business time comes from here, so tests and admin job runs can say what "now" is. */
export class Clock {
  now(): Date {
    return new Date();
  }
}
