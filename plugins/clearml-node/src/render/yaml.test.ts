import { parseYamlStream, renderYaml, renderYamlStream } from './yaml';

describe('renderYaml', () => {
  it('keeps a header and the literal braces of a bash script', () => {
    const script =
      'for i in {{20..5}}; do echo $i; done\n{extra_bash_init_cmd}\n';
    const text = renderYaml(
      { agentk8sglue: { containerCustomBashScript: script } },
      ['Header line', '', 'Second'],
    );
    expect(text.startsWith('# Header line\n#\n# Second\n')).toBe(true);
    expect(text).toContain('{{20..5}}');
    expect(parseYamlStream(text)).toEqual([
      { agentk8sglue: { containerCustomBashScript: script } },
    ]);
  });

  it('writes one document per value in a stream', () => {
    const text = renderYamlStream([{ a: 1 }, { b: 2 }], ['routes']);
    expect(parseYamlStream(text)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(text.split('\n---\n')).toHaveLength(2);
  });

  it('cannot be broken out of by a value with a newline', () => {
    const text = renderYaml({ name: 'x\nkind: Secret' });
    expect(parseYamlStream(text)).toEqual([{ name: 'x\nkind: Secret' }]);
  });
});
