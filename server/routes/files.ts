/**
 * A remote client fixes a lab by editing its workspace: `PUT /v1/sessions/{id}/files/{path}`
 * writes one file (raw body, size-limited), `GET` reads a file or lists a folder. Paths stay
 * inside the workspace and away from `.breakfix/` (server/workspace-files.ts).
 *
 * The routing path uses hono's regex parameter (`{path{.+}}` becomes `:path{.+}`) so the path
 * may contain slashes; the OpenAPI document registers the readable form `{path}`.
 */
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import { conflict } from '../errors.js';
import { createRouter, errorResponses, security } from '../router.js';
import { DirectoryListingSchema, FilePathParams, FileWrittenSchema, SessionIdParams } from '../schemas.js';
import { readWorkspacePath, writeWorkspaceFile } from '../workspace-files.js';
import type { Services } from '../context.js';

/** Operations that read the workspace: a write in the middle could deploy half a change. */
const WRITES_BLOCKED_DURING = new Set(['start', 'apply', 'rollback', 'reset', 'delete']);

const putFile = {
  method: 'put',
  path: '/v1/sessions/{id}/files/{path}',
  summary: 'Write a workspace file',
  description:
    'The raw request body becomes the file (folders are created). Limited in size (413). Not while the session is starting, applying, rolling back, resetting or being deleted (409).',
  security,
  request: {
    params: FilePathParams,
    body: { content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
  },
  responses: {
    200: { description: 'Replaced an existing file.', content: { 'application/json': { schema: FileWrittenSchema } } },
    201: { description: 'Created a new file.', content: { 'application/json': { schema: FileWrittenSchema } } },
    ...errorResponses(400, 401, 404, 409, 413),
  },
} satisfies RouteConfig;

const getFile = {
  method: 'get',
  path: '/v1/sessions/{id}/files/{path}',
  summary: 'Read a workspace file, or list a folder',
  security,
  request: { params: FilePathParams },
  responses: {
    200: {
      description: 'A file as application/octet-stream; a folder as a JSON listing (`.breakfix/` is never listed).',
      content: {
        'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
        'application/json': { schema: DirectoryListingSchema },
      },
    },
    ...errorResponses(400, 401, 404),
  },
} satisfies RouteConfig;

const listRoot = createRoute({
  method: 'get',
  path: '/v1/sessions/{id}/files',
  summary: 'List the workspace folder',
  security,
  request: { params: SessionIdParams },
  responses: {
    200: { description: 'The top-level entries.', content: { 'application/json': { schema: DirectoryListingSchema } } },
    ...errorResponses(400, 401, 404),
  },
});

function workspaceOf(services: Services, id: string) {
  return services.registry.get(id);
}

export function fileRoutes() {
  const app = createRouter();
  // Documented with `{path}`, routed with `{path{.+}}` (slashes allowed).
  app.openAPIRegistry.registerPath(putFile);
  app.openAPIRegistry.registerPath(getFile);

  app.openapi(createRoute({ ...putFile, path: '/v1/sessions/{id}/files/{path{.+}}', hide: true }), async (c) => {
    const { id, path } = c.req.valid('param');
    const entry = workspaceOf(c.var.services, id);
    if (entry.operation && WRITES_BLOCKED_DURING.has(entry.operation))
      throw conflict(`session ${id} is busy: ${entry.operation} in progress`, 'write files once it has finished');
    const content = new Uint8Array(await c.req.arrayBuffer());
    const written = await writeWorkspaceFile(entry.workspace, path, content);
    return c.json({ path: written.path, bytes: written.bytes }, written.created ? 201 : 200);
  });

  app.openapi(createRoute({ ...getFile, path: '/v1/sessions/{id}/files/{path{.+}}', hide: true }), async (c) => {
    const { id, path } = c.req.valid('param');
    const read = await readWorkspacePath(workspaceOf(c.var.services, id).workspace, path);
    if (read.kind === 'directory') return c.json({ path: read.path, entries: read.entries }, 200);
    return c.body(new Uint8Array(read.content), 200, { 'Content-Type': 'application/octet-stream' });
  });

  app.openapi(listRoot, async (c) => {
    const read = await readWorkspacePath(workspaceOf(c.var.services, c.req.valid('param').id).workspace, undefined);
    if (read.kind !== 'directory') throw conflict('the workspace is not a folder');
    return c.json({ path: read.path, entries: read.entries }, 200);
  });

  return app;
}
