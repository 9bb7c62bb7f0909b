// A bare Hono Worker: the yardstick of `npm run bench -- startup` (the API Worker's start-up CPU is
// reported as a multiple of this one's, measured in the same run).
import { Hono } from "hono";

const app = new Hono();
app.get("/", (c) => c.text("ok"));

export default app;
