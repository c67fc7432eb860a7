// Benchmarks for @gw/router: selection cost per strategy, then the failure simulation on a virtual clock.
import { writeResults } from '@gw/bench';
import { benchExecute, benchSelection } from './selection.ts';
import { benchSimulation } from './simulation.ts';

const only = process.argv[2];
if (only !== 'simulation') {
  await benchSelection();
  await benchExecute();
}
if (only !== 'selection') {
  const rows = await benchSimulation();
  await writeResults('router-simulation', rows);
}
