/** Renders a reply the way valkey-cli prints it (for `vmhost run` and humans). */
import {
  AttributeReply,
  BigNumberReply,
  DoubleReply,
  NullArray,
  PushReply,
  ReplyError,
  ReplyMap,
  ReplySet,
  SimpleString,
  VerbatimString,
  type Reply,
} from './reply.js';

function quote(s: string): string {
  return JSON.stringify(s);
}

/** valkey-cli style text: (integer) 1, "bulk", (error) ERR ..., (nil), 1) ... */
export function formatReply(r: Reply, indent = ''): string {
  if (r === null || r instanceof NullArray) return '(nil)';
  if (typeof r === 'string') return quote(r);
  if (Buffer.isBuffer(r)) return quote(r.toString('latin1'));
  if (typeof r === 'number' || typeof r === 'bigint') return `(integer) ${r}`;
  if (typeof r === 'boolean') return r ? '(true)' : '(false)';
  if (r instanceof SimpleString) return r.value;
  if (r instanceof ReplyError) return `(error) ${r.message}`;
  if (r instanceof DoubleReply) return `(double) ${r.value}`;
  if (r instanceof BigNumberReply) return `(big number) ${r.value}`;
  if (r instanceof VerbatimString) return r.text;
  if (r instanceof AttributeReply) return formatReply(r.value, indent);
  const items: Reply[] | [Reply, Reply][] = Array.isArray(r)
    ? r
    : r instanceof ReplyMap
      ? [...r.entries()]
      : r instanceof ReplySet
        ? [...r]
        : r instanceof PushReply
          ? r.items
          : [];
  if (items.length === 0) return r instanceof ReplyMap ? '(empty hash)' : '(empty array)';
  const width = String(items.length).length;
  const lines: string[] = [];
  items.forEach((item, i) => {
    const label = `${String(i + 1).padStart(width)}) `;
    const pad = indent + ' '.repeat(label.length);
    const body =
      r instanceof ReplyMap
        ? `${formatReply((item as [Reply, Reply])[0], pad)} => ${formatReply((item as [Reply, Reply])[1], pad)}`
        : formatReply(item as Reply, pad);
    lines.push((i === 0 ? '' : indent) + label + body);
  });
  return lines.join('\n');
}
