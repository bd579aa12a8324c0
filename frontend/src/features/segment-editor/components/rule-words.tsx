// The rule in words as nested lists of sentences.
import { List, Text } from '@mantine/core';
import type { WordsNode } from '../rule/words';

function Items({ nodes }: { nodes: WordsNode[] }) {
  return (
    <List size="sm" spacing={4} withPadding listStyleType="disc">
      {nodes.map((node, i) => (
        <List.Item key={i}>
          {node.text}
          {node.children && node.children.length > 0 ? <Items nodes={node.children} /> : null}
        </List.Item>
      ))}
    </List>
  );
}

export function RuleWords({ words }: { words: WordsNode }) {
  return (
    <div data-testid="rule-in-words">
      <Text fz="sm">{words.text}</Text>
      {words.children && words.children.length > 0 ? <Items nodes={words.children} /> : null}
    </div>
  );
}
