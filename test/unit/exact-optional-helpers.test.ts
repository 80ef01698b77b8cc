import { App, BootstraplessSynthesizer, type IStackSynthesizer, Stack, StackSynthesizer } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { definedFields } from '../../lambda/domain/defined-fields';
import { asImplementationOf } from '../../lib/cdk-interfaces';

describe('asImplementationOf (aws-cdk-lib classes under exactOptionalPropertyTypes)', () => {
  it('hands back the same instance when it is built on the interface’s base class', () => {
    const bucket = new s3.Bucket(new Stack(new App(), 'Stack'), 'Bucket');
    const synthesizer = new BootstraplessSynthesizer();
    expect(asImplementationOf<s3.IBucket>(bucket, s3.BucketBase)).toBe(bucket);
    expect(asImplementationOf<IStackSynthesizer>(synthesizer, StackSynthesizer)).toBe(synthesizer);
  });

  it('refuses a value that is not built on it, naming both', () => {
    expect(() =>
      asImplementationOf<IStackSynthesizer>(new s3.BlockPublicAccess({}), StackSynthesizer),
    ).toThrow('BlockPublicAccess is not built on StackSynthesizer');
  });
});

describe('definedFields', () => {
  it('leaves out the undefined fields and keeps every other value, falsy ones included', () => {
    expect(definedFields({ a: undefined, b: 0, c: '', d: false, e: null, f: 'x' })).toEqual({
      b: 0,
      c: '',
      d: false,
      e: null,
      f: 'x',
    });
    expect(Object.keys(definedFields({ region: undefined }))).toEqual([]);
  });
});
