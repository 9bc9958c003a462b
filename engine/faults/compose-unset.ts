import { z } from 'zod';
import { deleteYamlPath, parseYamlPath } from '../util/yaml-path.js';
import { workspacePathSchema } from '../util/workspace-path.js';
import { editComposeFile } from './compose-file.js';
import { defineFault, FaultError } from './fault.js';
import { serviceOfComposePath } from './service-of-path.js';

export const composeUnset = defineFault({
  type: 'compose.unset',
  phase: 'workspace',
  summary: 'Remove a key (or a KEY=value list item) from the workspace compose file.',
  params: z.strictObject({
    path: z.string().min(1).meta({ description: 'Dotted path, e.g. services.api.secrets' }),
    file: workspacePathSchema.default('compose.yaml'),
  }),
  services: (params) => serviceOfComposePath(params.path),
  async inject(ctx, params) {
    await editComposeFile(ctx.lab.workspace, params.file, (doc) => {
      // A fault that removes nothing would leave the lab unbroken: a scenario bug, said loudly.
      if (!deleteYamlPath(doc, parseYamlPath(params.path)))
        throw new FaultError(`${params.file} has no ${params.path} to remove`);
    });
    return `removed ${params.path} from ${params.file}`;
  },
});
