// The Chat Completions fake of the tests (test/fakes/openai-chat.ts), which answers any picture with
// a fixed transcription, in a process of its own: the ingestion benchmark sends it scanned pages,
// and its work must not count in the CPU time of the benchmark's messages. Prints its base URL.
import { startOpenAiChatFake } from "../test/fakes/openai-chat.ts";

const fake = await startOpenAiChatFake();
console.log(fake.baseUrl);
