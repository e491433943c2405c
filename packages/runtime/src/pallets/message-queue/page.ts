/**
 * A page of a message queue, with pallet-message-queue's heap layout (substrate/frame/message-queue `Page`, Size =
 * u32): the heap is `(ItemHeader, payload)` pairs back to back, `ItemHeader { payload_len: u32, is_processed: bool }`
 * (5 bytes); `first` is the heap offset of the next item to service, `last` the offset of the last item,
 * `remaining`/`remaining_size` count the unprocessed items (overweight ones skipped before `first` included).
 * Storage holds exactly polkadot-sdk's encoding, so a page read from a real chain decodes here and back.
 * Functions mutate the page in place (as the Rust methods take `&mut self`) and never throw on a corrupt heap.
 */
import type { Codec } from '../../scale/codec.ts';
import { struct } from '../../scale/composite.ts';
import { bytes, u32 } from '../../scale/primitives.ts';

/** `ItemHeader::<u32>::max_encoded_len()`: u32 payload length + bool. */
export const ITEM_HEADER_LEN = 5;

export interface Page {
  remaining: number;
  remaining_size: number;
  first_index: number;
  first: number;
  last: number;
  heap: Uint8Array;
}

/** `pallet_message_queue::Page<u32, HeapSize>` (HeapSize is skipped in scale-info, as `skip_type_params`). */
export const PageCodec: Codec<Page> = struct(
  { remaining: u32, remaining_size: u32, first_index: u32, first: u32, last: u32, heap: bytes },
  {
    remaining: 'Size',
    remaining_size: 'Size',
    first_index: 'Size',
    first: 'Size',
    last: 'Size',
    heap: 'BoundedVec<u8, IntoU32<HeapSize, Size>>',
  },
).named(['pallet_message_queue', 'Page'], {
  params: [{ name: 'Size', type: u32 }, { name: 'HeapSize' }],
});

function writeHeader(heap: Uint8Array, at: number, payloadLen: number, processed: boolean): void {
  new DataView(heap.buffer, heap.byteOffset).setUint32(at, payloadLen, true);
  heap[at + 4] = processed ? 1 : 0;
}

/** The header at `at`, or undefined where the heap is too short or the bool is not 0/1 (Rust's decode fails). */
function readHeader(heap: Uint8Array, at: number): { payloadLen: number; processed: boolean } | undefined {
  if (at < 0 || at + ITEM_HEADER_LEN > heap.length) return undefined;
  const flag = heap[at + 4];
  if (flag > 1) return undefined;
  return {
    payloadLen: new DataView(heap.buffer, heap.byteOffset).getUint32(at, true),
    processed: flag === 1,
  };
}

/** `Page::from_message`: a page holding one unprocessed message. */
export function pageFromMessage(message: Uint8Array): Page {
  const heap = new Uint8Array(ITEM_HEADER_LEN + message.length);
  writeHeader(heap, 0, message.length, false);
  heap.set(message, ITEM_HEADER_LEN);
  return { remaining: 1, remaining_size: message.length, first_index: 0, first: 0, last: 0, heap };
}

/** `Page::try_append_message`: false when the item does not fit into `heapSize`. */
export function tryAppendMessage(page: Page, message: Uint8Array, heapSize: number): boolean {
  const pos = page.heap.length;
  if (heapSize - pos < ITEM_HEADER_LEN + message.length) return false;
  const heap = new Uint8Array(pos + ITEM_HEADER_LEN + message.length);
  heap.set(page.heap);
  writeHeader(heap, pos, message.length, false);
  heap.set(message, pos + ITEM_HEADER_LEN);
  page.heap = heap;
  page.last = pos;
  page.remaining += 1;
  page.remaining_size += message.length;
  return true;
}

/** `Page::peek_first`: the payload of the item at `first`, or undefined past `last` or on heap corruption. */
export function peekFirst(page: Page): Uint8Array | undefined {
  if (page.first > page.last) return undefined;
  const f = Math.min(page.first, page.heap.length);
  const h = readHeader(page.heap, f);
  if (!h || f + ITEM_HEADER_LEN + h.payloadLen > page.heap.length) return undefined;
  return page.heap.subarray(f + ITEM_HEADER_LEN, f + ITEM_HEADER_LEN + h.payloadLen);
}

/** `Page::skip_first`: moves `first` past the next item, marking it processed when `isProcessed`. */
export function skipFirst(page: Page, isProcessed: boolean): void {
  const f = Math.min(page.first, page.heap.length);
  const h = readHeader(page.heap, f);
  if (!h) return;
  if (isProcessed && !h.processed) {
    writeHeader(page.heap, f, h.payloadLen, true);
    page.remaining = Math.max(0, page.remaining - 1);
    page.remaining_size = Math.max(0, page.remaining_size - h.payloadLen);
  }
  page.first += ITEM_HEADER_LEN + h.payloadLen;
  page.first_index += 1;
}

/** `Page::peek_index`: the item at `index` as `{ pos, processed, payload }`. */
export function peekIndex(
  page: Page,
  index: number,
): { pos: number; processed: boolean; payload: Uint8Array } | undefined {
  let pos = 0;
  for (let i = 0; i < index; i++) {
    const h = readHeader(page.heap, pos);
    if (!h || pos + ITEM_HEADER_LEN + h.payloadLen > page.heap.length) return undefined;
    pos += ITEM_HEADER_LEN + h.payloadLen;
  }
  const h = readHeader(page.heap, pos);
  if (!h || pos + ITEM_HEADER_LEN + h.payloadLen > page.heap.length) return undefined;
  return {
    pos,
    processed: h.processed,
    payload: page.heap.subarray(pos + ITEM_HEADER_LEN, pos + ITEM_HEADER_LEN + h.payloadLen),
  };
}

/** `Page::note_processed_at_pos`. */
export function noteProcessedAtPos(page: Page, pos: number): void {
  const h = readHeader(page.heap, pos);
  if (!h || h.processed) return;
  writeHeader(page.heap, pos, h.payloadLen, true);
  page.remaining = Math.max(0, page.remaining - 1);
  page.remaining_size = Math.max(0, page.remaining_size - h.payloadLen);
}

export function isComplete(page: Page): boolean {
  return page.remaining === 0;
}
