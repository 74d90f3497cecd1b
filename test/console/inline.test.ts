import { describe, expect, it } from 'vitest';
import { inlineJson, inlineScript } from '../../console/bundle.js';

describe('inlining into a <script> element', () => {
  it('keeps a library string that holds </script> or <!-- from ending the element, and its meaning', () => {
    const code = 'var a="</script><!--x", b=/<\\/SCRIPT>/i;';

    const safe = inlineScript(code);

    expect(safe).not.toMatch(/<\/script|<!--/i);
    // The same values once run.
    const run = (source: string) => new Function(`${source} return [a, b.source];`)() as string[];
    expect(run(safe)).toEqual(run(code));
  });

  it('escapes every < of embedded JSON, which parses back to the same value', () => {
    const value = { label: '</script><script>alert(1)</script>', n: 1 };

    const json = inlineJson(value);

    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual(value);
  });
});
