import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { operations } from '../api/schema';
import type { Model } from '../api/types';

export type DownloadRequest = operations['postApiModelsDownload']['requestBody']['content']['application/json'];
export type ImportRequest = operations['postApiModelsImport']['requestBody']['content']['application/json'];
export type ValidationReport = operations['postApiModelsIdValidate']['responses'][200]['content']['application/json'];

/** The model registry routes. */
@Injectable({ providedIn: 'root' })
export class ModelsApiService {
  private readonly http = inject(HttpClient);

  list(): Promise<Model[]> {
    return firstValueFrom(this.http.get<{ models: Model[] }>('/api/models')).then((r) => r.models);
  }
  download(req: DownloadRequest): Promise<unknown> {
    return firstValueFrom(this.http.post('/api/models/download', req));
  }
  import(req: ImportRequest): Promise<Model> {
    return firstValueFrom(this.http.post<Model>('/api/models/import', req));
  }
  validate(id: string): Promise<ValidationReport> {
    return firstValueFrom(this.http.post<ValidationReport>(`/api/models/${encodeURIComponent(id)}/validate`, {}));
  }
  delete(id: string, force: boolean): Promise<unknown> {
    return firstValueFrom(
      this.http.delete(`/api/models/${encodeURIComponent(id)}`, { params: force ? { force: 'true' } : {} }),
    );
  }
}
