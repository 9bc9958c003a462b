/**
 * A lab: the Docker resources of one session. Names are derived, never stored, so any process
 * that knows the session id can find the lab's containers (`docker ps` shows the same names).
 */
import type { Labels } from '../runtime/runtime.js';
import { LABELS } from '../runtime/labels.js';

export interface Lab {
  sessionId: string;
  scenarioId: string;
  /** Absolute path of the learner's workspace. */
  workspace: string;
}

/** `bf-<session>`: prefix of every container, network and volume name of the lab. */
export function labProject(lab: Pick<Lab, 'sessionId'>): string {
  return `bf-${lab.sessionId}`;
}

export function containerName(lab: Pick<Lab, 'sessionId'>, service: string): string {
  return `${labProject(lab)}-${service}`;
}

export function networkName(lab: Pick<Lab, 'sessionId'>): string {
  return `${labProject(lab)}-net`;
}

/** A compose network of the lab: `default` is the lab network, the others `bf-<session>-net-<name>`. */
export function labNetworkName(lab: Pick<Lab, 'sessionId'>, network: string): string {
  return network === 'default' ? networkName(lab) : `${networkName(lab)}-${network}`;
}

export function volumeName(lab: Pick<Lab, 'sessionId'>, volume: string): string {
  return `${labProject(lab)}-${volume}`;
}

/**
 * Images that breakfix builds for a session live under a session repository so that two
 * learners building `notes-api:2.0.0` at once never overwrite each other's tag.
 */
export function sessionImageTag(lab: Pick<Lab, 'sessionId'>, image: string): string {
  const withTag = /:[^/]+$/.test(image) ? image : `${image}:latest`;
  return `${labProject(lab)}/${withTag.replace(/^[^/]+\/(?=.*\/)/, '')}`.toLowerCase();
}

export function labLabels(lab: Lab, extra: Labels = {}): Labels {
  return {
    [LABELS.session]: lab.sessionId,
    [LABELS.scenario]: lab.scenarioId,
    [LABELS.workspace]: lab.workspace,
    [LABELS.managed]: 'true',
    ...extra,
  };
}
