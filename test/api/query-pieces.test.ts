/** The pure pieces of the query route: pagination tokens and EC2's instance filters. */
import { describe, expect, it } from 'vitest';
import { instanceFilter } from '../../local/api/ec2-filters.js';
import { QueryError } from '../../local/api/query/errors.js';
import { formTree, parseForm } from '../../local/api/query/form.js';
import { pageOf } from '../../local/api/query/pages.js';
import { EC2_PARAM_ERRORS, QueryParams } from '../../local/api/query/params.js';
import type { Instance } from '../../local/ec2/index.js';

const invalid = (token: string) => new QueryError('InvalidNextToken', `bad token ${token}`);

describe('pageOf', () => {
  const items = [1, 2, 3, 4, 5];

  it('walks the items in pages of the size asked, ending without a token', () => {
    const first = pageOf(items, { size: 2 }, invalid);
    const second = pageOf(items, { size: 2, token: first.nextToken }, invalid);
    const last = pageOf(items, { size: 2, token: second.nextToken }, invalid);

    expect([first.items, second.items, last.items]).toEqual([[1, 2], [3, 4], [5]]);
    expect(last.nextToken).toBeUndefined();
    expect(pageOf(items, {}, invalid)).toEqual({ items });
  });

  it('refuses a token it did not write', () => {
    const beyond = Buffer.from(JSON.stringify({ offset: 9 })).toString('base64url');
    for (const token of ['garbage', '', beyond]) {
      expect(() => pageOf(items, { token }, invalid)).toThrow(QueryError);
    }
  });
});

function instance(id: string, state: Instance['state'], tags: Record<string, string>): Instance {
  return {
    instanceId: id,
    app: 'serve',
    privateIpAddress: '127.0.0.10',
    state,
    status: 'ok',
    launchTime: '2026-11-30T10:00:00.000Z',
    instanceType: 't3.micro',
    vcpus: 2,
    hostCores: 1,
    tags,
  };
}

function filtersOf(body: string): QueryParams[] {
  return new QueryParams(formTree(parseForm(body)), EC2_PARAM_ERRORS).structures('Filter') ?? [];
}

describe('instanceFilter', () => {
  const a = instance('i-a', 'running', { role: 'web.1' });
  const b = instance('i-b', 'stopped', { role: 'webx1', team: 'lab' });

  it('ANDs the filters, ORs the values of one filter', () => {
    const matches = instanceFilter(
      filtersOf(
        'Filter.1.Name=instance-state-name&Filter.1.Value.1=running&Filter.1.Value.2=stopped&Filter.2.Name=tag-key&Filter.2.Value.1=team',
      ),
    );
    expect([a, b].filter(matches)).toEqual([b]);
  });

  it('takes * and ? as wildcards and every other character literally', () => {
    const literalDot = instanceFilter(filtersOf('Filter.1.Name=tag:role&Filter.1.Value.1=web.1'));
    const question = instanceFilter(filtersOf('Filter.1.Name=tag:role&Filter.1.Value.1=web%3F1'));
    const star = instanceFilter(filtersOf('Filter.1.Name=tag:role&Filter.1.Value.1=w*'));

    expect([a, b].filter(literalDot)).toEqual([a]);
    expect([a, b].filter(question)).toEqual([a, b]);
    expect([a, b].filter(star)).toEqual([a, b]);
  });

  it('refuses a filter without a name or with a name it does not know', () => {
    expect(() => instanceFilter(filtersOf('Filter.1.Value.1=x'))).toThrow(/parameter Filter.1.Name/);
    expect(() => instanceFilter(filtersOf('Filter.1.Name=color&Filter.1.Value.1=x'))).toThrow(
      /The filter 'color' is invalid/,
    );
  });
});
