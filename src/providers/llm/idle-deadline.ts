import { ProviderError } from "../errors";

/**
 * One abort signal for an upstream call that fires when the caller aborts or when nothing has
 * arrived for `timeoutMs`. `touch()` on every chunk restarts the wait, so a long answer that
 * keeps streaming is never cut, while a stalled one is (an SDK timeout stops at the headers).
 *
 * A touch only notes the time: the one timer, when it fires, sets itself again for what is left
 * of the wait since the last touch, rather than every chunk clearing and setting a timer (two
 * timer calls per streamed chunk were a visible part of a turn's CPU).
 */
export class IdleDeadline {
  readonly #controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastTouch = 0;
  #timedOut = false;

  constructor(
    private readonly provider: string,
    private readonly timeoutMs: number,
    private readonly callerSignal?: AbortSignal,
  ) {
    if (callerSignal?.aborted) this.#controller.abort(callerSignal.reason);
    callerSignal?.addEventListener("abort", this.#onCallerAbort, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Something arrived: restart the wait. */
  touch(): void {
    this.#lastTouch = Date.now();
    this.#timer ??= setTimeout(this.#expire, this.timeoutMs);
  }

  readonly #expire = () => {
    const left = this.#lastTouch + this.timeoutMs - Date.now();
    if (left > 0) {
      this.#timer = setTimeout(this.#expire, left);
      return;
    }
    this.#timedOut = true;
    this.#controller.abort(new Error(`no response within ${this.timeoutMs} ms`));
  };

  dispose(): void {
    clearTimeout(this.#timer);
    this.callerSignal?.removeEventListener("abort", this.#onCallerAbort);
  }

  /**
   * Why the call stopped, if this deadline stopped it: the caller's own abort reason, or a
   * transient ProviderError for the timeout. SDKs often end a stream silently when aborted,
   * so this is checked after the stream ends as well as on errors.
   */
  stopReason(): unknown {
    if (this.callerSignal?.aborted) return this.callerSignal.reason;
    if (this.#timedOut) {
      return new ProviderError(this.provider, true, `no response within ${this.timeoutMs} ms (timeout)`);
    }
    return undefined;
  }

  readonly #onCallerAbort = () => this.#controller.abort(this.callerSignal?.reason);
}
