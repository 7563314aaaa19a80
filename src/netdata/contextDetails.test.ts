import fixture from '../../tests/fixtures/netdata-2.9/v3_contexts_system_cpu_options.json';
import { parseContextDetails } from './contextDetails';

describe('parseContextDetails', () => {
  it('reads system.cpu from the agent contexts answer with titles, dimensions, labels and instances', () => {
    const details = parseContextDetails(fixture, 'system.cpu');
    expect(details).toEqual({
      id: 'system.cpu',
      title: 'Total CPU utilization',
      family: 'cpu',
      units: 'percentage',
      priority: 100,
      dimensions: ['guest_nice', 'guest', 'steal', 'softirq', 'irq', 'user', 'system', 'nice', 'iowait', 'idle'],
      instances: ['system.cpu'],
      labels: { _collect_plugin: ['proc.plugin'], _collect_module: ['/proc/stat'] },
    });
  });

  it('matches every context of the fixture to its own entry', () => {
    const ids = Object.keys(fixture.contexts);
    expect(ids.length).toBeGreaterThan(1);
    for (const id of ids) {
      const details = parseContextDetails(fixture, id);
      expect(details?.id).toBe(id);
      expect(details?.dimensions).toEqual(
        (fixture.contexts as Record<string, { dimensions: string[] }>)[id].dimensions
      );
    }
  });

  it('answers undefined for an unknown context or a body that is not a contexts answer', () => {
    expect(parseContextDetails(fixture, 'does.not.exist')).toBeUndefined();
    expect(parseContextDetails(fixture, 'toString')).toBeUndefined();
    expect(parseContextDetails(null, 'system.cpu')).toBeUndefined();
    expect(parseContextDetails('text', 'system.cpu')).toBeUndefined();
    expect(parseContextDetails({ contexts: { 'system.cpu': 5 } }, 'system.cpu')).toBeUndefined();
  });

  it('accepts the bare id list the agent sends without field options', () => {
    expect(parseContextDetails({ contexts: ['system.cpu', 'system.load'] }, 'system.load')).toEqual({
      id: 'system.load',
      dimensions: [],
      instances: [],
      labels: {},
    });
  });

  it('drops stray values instead of failing', () => {
    const body = {
      contexts: {
        'disk.io': {
          title: 7,
          units: 'KiB/s',
          priority: 'high',
          dimensions: ['reads', 3, null, 'writes', 'reads'],
          labels: { device: ['vda', 1, 'sda'], empty: [], single: 'x', '': ['y'] },
          instances: 'disk.vda',
        },
      },
    };
    expect(parseContextDetails(body, 'disk.io')).toEqual({
      id: 'disk.io',
      units: 'KiB/s',
      dimensions: ['reads', 'writes'],
      instances: [],
      labels: { device: ['vda', 'sda'], single: ['x'] },
    });
  });
});
