/**
 * The requests being forwarded to one target, which draining waits for and then cuts.
 *
 * An intrusive doubly linked list rather than a `Set`: a long-lived `Set` taking and dropping a
 * short-lived object per request kept those objects (and the request and response objects they
 * reference) alive past young-generation collections, so V8 promoted about 2 KB per request to the
 * old generation. Measured under load: scavenges of 8–20 ms instead of about 1 ms, and a fifth
 * fewer requests per second. Linking and unlinking allocates nothing and leaves no reference behind.
 */

/** A request being forwarded to a target, which draining may cut. */
export abstract class InFlightRequest {
  /** Neighbours in the target's list; only {@link InFlightRequests} sets them. */
  previousInFlight: InFlightRequest | undefined;
  nextInFlight: InFlightRequest | undefined;
  /** The list this request is in, so removing it twice (or from another list) does nothing. */
  inFlightList: InFlightRequests | undefined;

  /** Ends the request at once: the client's connection and the target's are closed. */
  abstract cut(): void;
}

export class InFlightRequests {
  private head: InFlightRequest | undefined;
  /** How many requests are in flight (least outstanding requests routing reads it per request). */
  size = 0;

  add(request: InFlightRequest): void {
    if (request.inFlightList !== undefined) return;
    request.inFlightList = this;
    request.previousInFlight = undefined;
    request.nextInFlight = this.head;
    if (this.head !== undefined) this.head.previousInFlight = request;
    this.head = request;
    this.size++;
  }

  delete(request: InFlightRequest): void {
    if (request.inFlightList !== this) return;
    const { previousInFlight, nextInFlight } = request;
    if (previousInFlight === undefined) this.head = nextInFlight;
    else previousInFlight.nextInFlight = nextInFlight;
    if (nextInFlight !== undefined) nextInFlight.previousInFlight = previousInFlight;
    request.previousInFlight = undefined;
    request.nextInFlight = undefined;
    request.inFlightList = undefined;
    this.size--;
  }

  /** A snapshot of the requests in flight, safe to iterate while cutting them removes them. */
  toArray(): InFlightRequest[] {
    const requests: InFlightRequest[] = [];
    for (let request = this.head; request !== undefined; request = request.nextInFlight) {
      requests.push(request);
    }
    return requests;
  }
}
