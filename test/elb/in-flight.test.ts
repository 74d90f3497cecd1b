import { describe, expect, it } from 'vitest';
import { InFlightRequest, InFlightRequests } from '../../local/elb/in-flight.js';

class Request extends InFlightRequest {
  cuts = 0;
  cut(): void {
    this.cuts++;
  }
}

describe('the in-flight requests of a target', () => {
  it('counts, lists and removes requests in any order, each at most once', () => {
    // Prepare
    const list = new InFlightRequests();
    const [a, b, c] = [new Request(), new Request(), new Request()];

    // Act
    list.add(a);
    list.add(b);
    list.add(c);
    list.add(b); // already in: no double count
    list.delete(b); // from the middle
    list.delete(b); // twice: no effect

    // Assess
    expect(list.size).toBe(2);
    expect(new Set(list.toArray())).toEqual(new Set([a, c]));
    list.delete(c); // the head
    list.delete(a); // the last one
    expect(list.size).toBe(0);
    expect(list.toArray()).toEqual([]);
  });

  it('lets every request be cut while cutting removes it from the list', () => {
    // Prepare: cutting a request removes it, as the proxy's close handler does.
    const list = new InFlightRequests();
    const requests = [new Request(), new Request(), new Request()];
    for (const request of requests) list.add(request);

    // Act
    for (const request of list.toArray()) {
      request.cut();
      list.delete(request);
    }

    // Assess
    expect(requests.map((request) => request.cuts)).toEqual([1, 1, 1]);
    expect(list.size).toBe(0);
  });

  it('ignores a request removed from a list it is not in', () => {
    // Prepare
    const first = new InFlightRequests();
    const second = new InFlightRequests();
    const request = new Request();
    first.add(request);

    // Act
    second.delete(request);

    // Assess
    expect(first.size).toBe(1);
    expect(second.size).toBe(0);
  });
});
