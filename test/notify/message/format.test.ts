import { describe, expect, it } from 'vitest';
import { eventKind } from '../../../lambdas/notify/event/kind.js';
import { awsConsoleLink, localRunFolderLink } from '../../../lambdas/notify/message/evidence-link.js';
import { type FormatOptions, formatMessage } from '../../../lambdas/notify/message/format.js';
import type { Block, SlackMessage } from '../../../lambdas/notify/message/slack-message.js';
import { fixture } from '../fixtures.js';

const local: FormatOptions = { evidenceLink: localRunFolderLink() };

/** Every text of a message, joined: what a reader of the channel sees (and the fallback). */
function allText(message: SlackMessage | undefined): string {
  if (!message) throw new Error('expected a message, got none');
  const texts: string[] = [message.text];
  function visit(block: Block): void {
    if (block.type === 'header') texts.push(block.text.text);
    if (block.type === 'section') {
      if (block.text) texts.push(block.text.text);
      for (const field of block.fields ?? []) texts.push(field.text);
    }
    if (block.type === 'context') for (const element of block.elements) texts.push(element.text);
  }
  message.blocks.forEach(visit);
  return texts.join('\n');
}

describe('formatMessage', () => {
  it('announces a started execution with its name, start time, time scale and run folder', () => {
    // Prepare
    const event = fixture('execution-running');

    // Act
    const message = formatMessage(event, local);

    // Assess
    expect(message?.text).toBe('scalelab: Lab started: lab-20261128-045650-4ee0');
    expect(message?.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '🚀 Lab started: lab-20261128-045650-4ee0', emoji: true },
    });
    const text = allText(message);
    expect(text).toContain('*Started*\n<!date^1795841839^{date_short} {time_secs}|2026-11-28 04:57:19 UTC>');
    expect(text).toContain('*Time scale*\n60× (simulated time)');
    expect(text).toContain('Evidence: `.scalelab/runs/lab-20261128-045650-4ee0/`');
  });

  it('announces a redrive as such, with its count', () => {
    const event = fixture('execution-running');
    event.detail.redriveCount = 1;
    event.detail.redriveDate = event.detail.startDate as number;

    expect(eventKind(event)).toBe('execution-redriven');
    expect(formatMessage(event, local)?.text).toBe(
      'scalelab: Lab redriven (redrive 1): lab-20261128-045650-4ee0',
    );
  });

  it('tells a phase reached in one line, with its label, step name and time', () => {
    const message = formatMessage(fixture('phase-changed'), local);

    expect(message?.text).toBe('scalelab: lab-20261128-045650-4ee0 is waiting until every target is healthy');
    expect(message?.blocks).toHaveLength(2);
    expect(allText(message)).toContain(
      '▶️ *lab-20261128-045650-4ee0* is *waiting until every target is healthy* (`check-health`)',
    );
    expect(allText(message)).toContain('Phase reached <!date^');
  });

  it('says what on-execution-end stopped after a stop, and that the lab is torn down', () => {
    const event = fixture('phase-changed');
    event['detail-type'] = 'Lab Torn Down';
    event.detail = {
      executionName: 'lab-1',
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:lab-lifecycle:lab-1',
      status: 'ABORTED',
      stopped: ['i-1 (running)', 'i-2 (InService in scalelab-serve)'],
      seconds: 12,
    };

    const message = formatMessage(event, local);

    expect(eventKind(event)).toBe('torn-down');
    expect(message?.text).toBe('scalelab: the lab of lab-1 (ABORTED) is torn down');
    expect(allText(message)).toContain('Stopped: i-1 (running), i-2 (InService in scalelab-serve)');
  });

  it('reports a scale-out with the instance, the time and AWS cause sentence', () => {
    const message = formatMessage(fixture('scale-out'), local);

    expect(message?.text).toBe(
      'scalelab: ⬆️ Scale-out observed: i-5171c6ffc97da60ec launched in scalelab-serve',
    );
    const text = allText(message);
    expect(text).toContain('*At*\n<!date^1795842317^{date_short} {time_secs}|2026-11-28 05:05:17 UTC>');
    expect(text).toContain(
      'a monitor alarm TargetTracking-scalelab-serve-AlarmHigh-088dddca-2a12-438a-ac9b-c36d8a21e910 in state ALARM triggered policy cpu-target-tracking changing the desired capacity from 1 to 2.',
    );
  });

  it('reports a scale-in, and tells provisioning launches apart from scaling', () => {
    expect(formatMessage(fixture('scale-in'), local)?.text).toBe(
      'scalelab: ⬇️ Scale-in observed: i-5171c6ffc97da60ec terminated in scalelab-serve',
    );
    expect(allText(formatMessage(fixture('scale-in'), local))).toContain(
      'changing the desired capacity from 2 to 1',
    );
    expect(eventKind(fixture('launch-provision'))).toBe('instance-launched');
    expect(formatMessage(fixture('launch-provision'), local)?.text).toBe(
      'scalelab: ➕ Instance launched: i-1af85331c9e70b09b launched in scalelab-serve',
    );
  });

  it('reports an unsuccessful launch with its status message', () => {
    const text = allText(formatMessage(fixture('launch-unsuccessful'), local));

    expect(text).toContain('⚠️ *Scaling activity failed*');
    expect(text).toContain(
      'EC2 Instance Launch Unsuccessful: The requested configuration is currently not supported.',
    );
  });

  it('gives a PASS verdict with every expectation, measured against its budget, and the run folder', () => {
    const message = formatMessage(fixture('verdict-pass'), local);

    expect(message?.text).toBe('scalelab: lab-20261128-045650-4ee0: PASS (6/6 expectations held)');
    expect(message?.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: '✅ PASS: lab-20261128-045650-4ee0' },
    });
    const text = allText(message);
    expect(text).toContain('*6 of 6 expectations held.* all 6 expectations held');
    expect(text).toContain(
      '✅ *scale-out to ≥ 2 in service and healthy*\n      measured `264.441 s (2 in service, 2 healthy)` · budget 180–385 s after the stress start',
    );
    expect(text).toContain('Evidence: `.scalelab/runs/lab-20261128-045650-4ee0/`');
  });

  it('gives a FAIL verdict with what was never reached and the error the lab stopped on', () => {
    const text = allText(formatMessage(fixture('verdict-fail'), local));

    expect(text).toContain('❌ FAIL: lab-20261128-045650-4ee0');
    expect(text).toContain('*3 of 6 expectations held.* the lab stopped on HealthCheckTimeout');
    expect(text).toContain('❌ *scale-in back to ≤ 1*\n      measured _never reached_');
    expect(text).toContain(
      '*Stopped on* `HealthCheckTimeout`\n```check-health: 30 checks in 300 s and still section 2 0/1 in service and healthy```',
    );
  });

  it('reports a failure with the failing step, the error, the readable cause and the console link on AWS', () => {
    const event = fixture('execution-failed');
    const options: FormatOptions = {
      evidenceLink: awsConsoleLink(),
      failingStepOf: (arn) => (arn === event.detail.executionArn ? 'check-health' : undefined),
    };

    const message = formatMessage(event, options);

    expect(message?.text).toBe('scalelab: Lab failed: lab-20261128-045650-4ee0 (HealthCheckTimeout)');
    const text = allText(message);
    expect(text).toContain('*Failing step*\nwaiting until every target is healthy (`check-health`)');
    expect(text).toContain('*Error*\n`HealthCheckTimeout`');
    expect(text).toContain('*Ran for*\n6 min 32 s');
    expect(text).toContain(
      '*Cause*\n```check-health: 30 checks in 300 s and still section 2 0/1 in service and healthy```',
    );
    expect(text).toContain(
      'Evidence: <https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/arn:aws:states:us-east-1:000000000000:execution:scalelab-lab-lifecycle:lab-20261128-045650-4ee0|execution details>',
    );
  });

  it('says when the failing step is unknown, and words a timeout and a stop', () => {
    const timedOut = fixture('execution-failed');
    timedOut.detail.status = 'TIMED_OUT';
    const stopped = fixture('execution-failed');
    stopped.detail.status = 'ABORTED';
    stopped.detail.error = 'scalelab.Interrupted';
    stopped.detail.cause = 'stopped with Ctrl-C';

    expect(allText(formatMessage(timedOut, local))).toContain(
      '*Failing step*\nnot seen by the notifier: see the execution',
    );
    expect(formatMessage(timedOut, local)?.text).toContain('Lab timed out:');
    expect(allText(formatMessage(stopped, local))).toContain('```stopped with Ctrl-C```');
    expect(formatMessage(stopped, local)?.text).toContain('Lab was stopped:');
  });

  it('sends nothing for a success (the verdict said it), a FAIL verdict restated, or an unknown event', () => {
    const restated = fixture('execution-failed');
    restated.detail.error = 'LabVerdictFail';
    const other = fixture('phase-changed');
    other['detail-type'] = 'CloudWatch Alarm State Change';

    expect(formatMessage(fixture('execution-succeeded'), local)).toBeUndefined();
    expect(formatMessage(restated, local)).toBeUndefined();
    expect(formatMessage(other, local)).toBeUndefined();
  });

  it('escapes mrkdwn control characters and keeps within Block Kit limits', () => {
    const event = fixture('execution-failed');
    event.detail.cause = `<script> & ${'x'.repeat(5000)}`;
    event.detail.name = 'n'.repeat(200);

    const message = formatMessage(event, local);

    const header = message?.blocks[0];
    expect(header?.type === 'header' && header.text.text.length).toBeLessThanOrEqual(150);
    const text = allText(message);
    expect(text).toContain('&lt;script&gt; &amp; xxx');
    for (const block of message?.blocks ?? []) {
      if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    }
  });
});
