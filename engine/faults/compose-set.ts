import { z } from 'zod';
import { parseYamlPath, setYamlPath } from '../util/yaml-path.js';
import { workspacePathSchema } from '../util/workspace-path.js';
import { editComposeFile } from './compose-file.js';
import { defineFault } from './fault.js';
import { serviceOfComposePath } from './service-of-path.js';

export const composeSet = defineFault({
  type: 'compose.set',
  phase: 'workspace',
  summary: 'Set a value in the workspace compose file (keeps comments); `environment.KEY` works in map and list form.',
  params: z.strictObject({
    path: z.string().min(1).meta({ description: 'Dotted path, e.g. services.api.environment.PORT' }),
    value: z.union([
      z.string(),
      z.number(),
      z.boolean(),
      z.array(z.unknown()),
      z.record(z.string(), z.unknown()),
      z.null(),
    ]),
    file: workspacePathSchema.default('compose.yaml'),
  }),
  services: (params) => serviceOfComposePath(params.path),
  async inject(ctx, params) {
    await editComposeFile(ctx.lab.workspace, params.file, (doc) =>
      setYamlPath(doc, parseYamlPath(params.path), params.value),
    );
    return `set ${params.path} in ${params.file}`;
  },
});
