// The project index over files on disk, as the CLI and the benchmarks use it (the editor serves its open
// documents through its own read callback).
import * as fs from 'fs';
import { ProjectIndex } from './projectIndex';
import { ModuleResolver, nodeProjectHost } from './resolve';

export function diskProjectIndex(files: Iterable<string>): ProjectIndex {
  const read = (f: string): string | undefined => {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch {
      return undefined;
    }
  };
  const index = new ProjectIndex(new ModuleResolver(nodeProjectHost()), read);
  index.add(files);
  return index;
}
