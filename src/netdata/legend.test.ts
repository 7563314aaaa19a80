import { legendNames, renderLegend } from './legend';

describe('renderLegend', () => {
  it('replaces placeholders with the series labels, spaces inside the braces allowed', () => {
    expect(renderLegend('{{dimension}} on {{ node }}', { dimension: 'user', node: 'web1' }, 'user')).toBe(
      'user on web1'
    );
  });

  it('renders a label the series lacks, or an empty one, as its key (as Grafana does for Prometheus)', () => {
    expect(renderLegend('{{device}} / {{mount}}', { mount: '' }, 'reads')).toBe('device / mount');
  });

  it('gives undefined for a template that renders to blank, so the automatic name stays', () => {
    expect(renderLegend('   ', { dimension: 'user' }, 'user')).toBeUndefined();
    expect(renderLegend('', {}, 'user')).toBeUndefined();
  });

  it("offers the automatic name as {{name}} (legends of Netdata's own plugin), unless a label is called name", () => {
    expect(renderLegend('{{name}} @ {{node}}', { node: 'web1' }, 'user,web1')).toBe('user,web1 @ web1');
    expect(renderLegend('{{name}}', { name: 'from label' }, 'auto')).toBe('from label');
  });

  it('leaves text that is not a placeholder as it is, including $ patterns of String.replace', () => {
    expect(renderLegend('$& $1 {x} {{dimension}}', { dimension: '$&' }, 'a')).toBe('$& $1 {x} $&');
  });
});

describe('legendNames', () => {
  it('finds a placeholder for the key, with or without spaces', () => {
    expect(legendNames('{{dimension}} ({{ series_type }})', 'series_type')).toBe(true);
    expect(legendNames('{{dimension}} series_type', 'series_type')).toBe(false);
  });
});
