import { describe, expect, it } from 'vitest';
import { type IngressOperation, validateRequest } from '../../src/ingress/validate-request.ts';
import { warmUpBodies, warmValidators } from '../../src/ingress/warm-validators.ts';

describe('validator warm-up', () => {
  it.each(Object.entries(warmUpBodies))('warms %s with a body its schema accepts', (operation, body) => {
    // An invalid sample would warm only the failure path and leave the first request to build the parser.
    expect(() => validateRequest(operation as IngressOperation, body)).not.toThrow();
  });

  it('leaves the warm-up bodies as they were', () => {
    const before = JSON.stringify(warmUpBodies);
    warmValidators();
    expect(JSON.stringify(warmUpBodies)).toBe(before);
  });
});
