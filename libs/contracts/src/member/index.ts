export * from './member.rpc';
export * from './member.view';
export * from './register-member.dto';
