import type { ScoreControl } from './types.js';

/** CIS Docker sections about the host, the daemon, its files, security operations and Swarm. */
export const hardenDockerHosts: ScoreControl = {
  name: 'harden-docker-hosts',
  title: 'Harden Docker hosts and daemons',
  max: 4,
  recommendations: [{ source: 'docker', sections: ['1.1', '1.2', '2', '3', '6', '7'] }],
};
