/** Public entry of the doctor: the environment report behind `breakfix doctor`. */
export {
  runDoctor,
  defaultDoctorDeps,
  imageCheck,
  compareVersions,
  MIN_NODE_MAJOR,
  MIN_API_VERSION,
  MIN_FREE_BYTES,
} from './doctor.js';
export type { DoctorCheck, DoctorReport, DoctorProgress, DoctorOptions, DoctorDeps } from './doctor.js';
export {
  readHostFacts,
  startDockerDaemon,
  installDocker,
  waitForDocker,
  manualDockerAdvice,
  DOCKERD_LOG,
} from './docker-daemon.js';
export type { HostFacts } from './docker-daemon.js';
