import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { NodeInfo, NodeList } from '../api/types';

/** The cluster: `GET /api/nodes`, every bkgd on the server's database (one on SQLite). */
@Injectable({ providedIn: 'root' })
export class NodesApiService {
  private readonly http = inject(HttpClient);

  list(): Promise<NodeInfo[]> {
    return firstValueFrom(this.http.get<NodeList>('/api/nodes')).then((r) => r.nodes);
  }
}
