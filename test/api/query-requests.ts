/** Raw query-protocol requests (what the SDK would never send) and their XML answers. */
import { XMLParser } from 'fast-xml-parser';

export interface XmlAnswer {
  status: number;
  body: string;
}

/**
 * POSTs a form body as a query-protocol client would, signed (without a real signature) for
 * `service` when one is given, so the endpoint picks the service by its credential scope.
 */
export async function formRequest(url: string, body: string, service?: string): Promise<XmlAnswer> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
  };
  if (service) {
    headers.authorization = `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20261130/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;
  }
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text() };
}

const xmlParser = new XMLParser({ parseTagValue: false });

/** The text of the first `<name>` element of an XML answer, entities decoded. */
export function xmlText(body: string, name: string): string | undefined {
  const find = (node: unknown): string | undefined => {
    if (typeof node !== 'object' || node === null) return undefined;
    for (const [key, value] of Object.entries(node)) {
      if (key === name && typeof value === 'string') return value;
      const found = find(value);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return find(xmlParser.parse(body));
}
