/** The inventory for people: one short block per kind of resource, within 100 columns. */
import type { InventoryInstance, LabInventory } from './lab-inventory.js';

function instanceLine(i: InventoryInstance): string {
  const lifecycle = i.lifecycleState ? ` ${i.lifecycleState}` : '';
  const launched = i.launchTime ? `  launched ${i.launchTime}` : '';
  return `  ${i.instanceId}  section ${i.section}  ${i.state}${lifecycle}  ${i.privateIpAddress ?? '-'}  ${i.instanceType ?? ''}${launched}`;
}

const COMPARISON: Record<string, string> = {
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  GreaterThanOrEqualToThreshold: '>=',
  LessThanOrEqualToThreshold: '<=',
};

export function inventoryText(inventory: LabInventory, where: string): string {
  const { group } = inventory;
  return [
    `the lab at ${where}`,
    group
      ? `group ${group.name}: desired ${group.desired} (min ${group.min}, max ${group.max})`
      : 'group: none (the lab is not provisioned here)',
    `instances (${inventory.instances.length}):`,
    ...inventory.instances.map(instanceLine),
    'target health:',
    ...inventory.targetGroups.map(
      ({ name, targets }) =>
        `  ${name}: ${targets.map((t) => `${t.id} ${t.state}${t.reason ? ` (${t.reason})` : ''}`).join(', ') || 'no targets'}`,
    ),
    'alarms:',
    ...inventory.alarms.map(
      (a) =>
        `  ${a.name}: ${a.state}${a.threshold === undefined ? '' : ` (CPU ${COMPARISON[a.comparison ?? ''] ?? a.comparison} ${a.threshold} %)`}`,
    ),
  ].join('\n');
}
