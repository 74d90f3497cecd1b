import { describe, expect, it } from 'vitest';
import { REDACTED, redactorFor } from '../../../lambdas/notify/delivery/redact.js';

describe('redactorFor', () => {
  it('hides the URL, its path and each long segment, wherever they appear', () => {
    const url = 'https://hooks.slack.com/services/T0ABCDEFG/B0HIJKLMN/abcdefghijklmnopqrstuvwx';
    const redact = redactorFor(url);

    expect(redact(`POST ${url} failed`)).toBe(`POST ${REDACTED} failed`);
    expect(redact('GET /services/T0ABCDEFG/B0HIJKLMN/abcdefghijklmnopqrstuvwx')).toBe(`GET ${REDACTED}`);
    expect(redact('token abcdefghijklmnopqrstuvwx in a cause')).toBe(`token ${REDACTED} in a cause`);
    expect(redact('services are fine')).toBe('services are fine');
    expect(redactorFor(undefined)('nothing to hide')).toBe('nothing to hide');
  });
});
