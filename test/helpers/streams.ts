export interface StreamedBody {
  /** The body, without a length: the request goes out as `Transfer-Encoding: chunked`. */
  body: ReadableStream<Uint8Array>;
  /** How many bytes the server has read from it so far. */
  pulled(): number;
}

const CHUNK_BYTES = 16 * 1024;

/**
 * `head`, then `fillerBytes` of the letter a, then `tail`, produced only as the server reads them:
 * `pulled()` shows whether an oversized body was refused early or read whole.
 */
export function streamedBody(head: string, fillerBytes: number, tail: string): StreamedBody {
  const encoder = new TextEncoder();
  const chunk = new Uint8Array(CHUNK_BYTES).fill("a".charCodeAt(0));
  let pulled = 0;
  let fillerLeft = fillerBytes;
  let stage: "head" | "filler" | "tail" | "done" = "head";
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        let piece: Uint8Array;
        if (stage === "head") {
          piece = encoder.encode(head);
          stage = "filler";
        } else if (stage === "filler" && fillerLeft > 0) {
          piece = chunk.subarray(0, Math.min(CHUNK_BYTES, fillerLeft));
          fillerLeft -= piece.length;
        } else if (stage !== "done") {
          piece = encoder.encode(tail);
          stage = "done";
        } else {
          controller.close();
          return;
        }
        pulled += piece.length;
        controller.enqueue(piece);
      },
    },
    { highWaterMark: 0 },
  );
  return { body, pulled: () => pulled };
}
