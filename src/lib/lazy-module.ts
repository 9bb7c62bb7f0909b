// A heavy module (a tokenizer's tables, a language model, the stemmers, an SDK) is imported by the
// first path that uses it, not evaluated by every cold isolate at start-up. Code that must stay
// synchronous (counting in a loop, stemming each term) awaits `load()` on its way in, then reads
// `loaded()`; a path that forgot to load fails loudly rather than working differently.

export interface LazyModule<M> {
  /** Imports the module once per isolate (concurrent callers share the import). */
  load(): Promise<M>;
  /** The module, after `load()`; throws, naming the module, before it. */
  loaded(): M;
  /** The module if some path has loaded it, else undefined. */
  peek(): M | undefined;
}

export function lazyModule<M>(name: string, importModule: () => Promise<M>): LazyModule<M> {
  let module: M | undefined;
  let loading: Promise<M> | undefined;
  return {
    async load() {
      loading ??= importModule();
      module ??= await loading;
      return module;
    },
    loaded() {
      if (module === undefined) throw new Error(`${name} used before it was loaded: await its load first`);
      return module;
    },
    peek: () => module,
  };
}
