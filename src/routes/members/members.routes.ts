import { createRoute } from "@hono/zod-openapi";
import { toPage, toPageRequest } from "../../lib/pagination";
import { changeMemberRole, listMembers, removeMember } from "../../services/members/members.service";
import {
  idParams,
  jsonBody,
  jsonContent,
  newRouter,
  PageQuerySchema,
  problemResponses,
  tenantSecurity,
} from "../openapi";
import { tenantCall } from "../tenant-call";
import { callerId, presentMember } from "./members.presenters";
import { ChangeMemberRoleSchema, MemberPageSchema, MemberSchema, peopleOnly } from "./members.schemas";

const memberIdParams = idParams("member_id", "mem_01jd3v9k2m4n5p6q7r8s9t0v1w");

export const membersRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/members",
      tags: ["Members"],
      summary: "List the tenant's members",
      description: `Any member may list. ${peopleOnly}`,
      security: tenantSecurity,
      request: { query: PageQuerySchema },
      responses: { 200: jsonContent(MemberPageSchema, "A page of members"), ...problemResponses(403, 404) },
    }),
    async (c) => {
      const call = tenantCall(c);
      const page = toPageRequest(c.req.valid("query"));
      const rows = await listMembers({ ...call, input: { page } });
      return c.json(
        toPage(rows, page, (row) => presentMember(row, callerId(call.ctx.actor))),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/members/{member_id}",
      tags: ["Members"],
      summary: "Change a member's role",
      description: `Needs the admin role. Nobody grants a role above their own; only an owner changes an owner's role; the last owner cannot be demoted (409). ${peopleOnly}`,
      security: tenantSecurity,
      request: {
        params: memberIdParams,
        body: jsonBody(ChangeMemberRoleSchema),
      },
      responses: {
        200: jsonContent(MemberSchema, "The member with its new role"),
        ...problemResponses(403, 404, 409),
      },
    }),
    async (c) => {
      const call = tenantCall(c, "admin");
      const row = await changeMemberRole({
        ...call,
        input: { memberId: c.req.valid("param").member_id, role: c.req.valid("json").role },
      });
      return c.json(presentMember(row, callerId(call.ctx.actor)), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/members/{member_id}",
      tags: ["Members"],
      summary: "Remove a member, or leave the tenant",
      description: `Anyone may remove themselves; removing another member needs the admin role, and an owner only an owner. The last owner cannot be removed (409). ${peopleOnly}`,
      security: tenantSecurity,
      request: { params: memberIdParams },
      responses: { 204: { description: "Removed" }, ...problemResponses(403, 404, 409) },
    }),
    async (c) => {
      await removeMember({
        ...tenantCall(c),
        input: { memberId: c.req.valid("param").member_id },
      });
      return c.body(null, 204);
    },
  );
