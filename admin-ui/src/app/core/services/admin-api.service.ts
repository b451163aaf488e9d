import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type {
  ApiKey,
  ApiKeySecret,
  AuditPage,
  CreateApiKey,
  CreateUser,
  EffectiveConfig,
  SessionInfo,
  UsageReport,
  User,
} from '../api/types';
import type { operations } from '../api/schema';

export type AuditFilter = NonNullable<operations['getAdminAudit']['parameters']['query']>;
export type UsageFilter = NonNullable<operations['getApiAnalyticsUsage']['parameters']['query']>;
export type UpdateUser = operations['putAdminUsersId']['requestBody']['content']['application/json'];
export type UpdateApiKey = operations['patchAdminApiKeysId']['requestBody']['content']['application/json'];

function params(q: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') out[k] = String(v);
  return out;
}

/** Users, API keys, audit, sessions, settings and usage analytics. */
@Injectable({ providedIn: 'root' })
export class AdminApiService {
  private readonly http = inject(HttpClient);

  users(): Promise<User[]> {
    return firstValueFrom(this.http.get<{ users: User[] }>('/admin/users')).then((r) => r.users);
  }
  createUser(u: CreateUser): Promise<User> {
    return firstValueFrom(this.http.post<User>('/admin/users', u));
  }
  updateUser(id: string, u: UpdateUser): Promise<User> {
    return firstValueFrom(this.http.put<User>(`/admin/users/${encodeURIComponent(id)}`, u));
  }
  deleteUser(id: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`/admin/users/${encodeURIComponent(id)}`));
  }

  keys(): Promise<ApiKey[]> {
    return firstValueFrom(this.http.get<{ keys: ApiKey[] }>('/admin/api-keys')).then((r) => r.keys);
  }
  createKey(k: CreateApiKey): Promise<ApiKeySecret> {
    return firstValueFrom(this.http.post<ApiKeySecret>('/admin/api-keys', k));
  }
  updateKey(id: string, k: UpdateApiKey): Promise<ApiKey> {
    return firstValueFrom(this.http.patch<ApiKey>(`/admin/api-keys/${encodeURIComponent(id)}`, k));
  }
  rotateKey(id: string, gracePeriodSeconds: number): Promise<ApiKeySecret> {
    return firstValueFrom(
      this.http.post<ApiKeySecret>(`/admin/api-keys/${encodeURIComponent(id)}/rotate`, { gracePeriodSeconds }),
    );
  }
  deleteKey(id: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`/admin/api-keys/${encodeURIComponent(id)}`));
  }

  audit(f: AuditFilter): Promise<AuditPage> {
    return firstValueFrom(this.http.get<AuditPage>('/admin/audit', { params: params(f) }));
  }

  usage(f: UsageFilter): Promise<UsageReport> {
    return firstValueFrom(this.http.get<UsageReport>('/api/analytics/usage', { params: params(f) }));
  }

  config(): Promise<EffectiveConfig> {
    return firstValueFrom(this.http.get<EffectiveConfig>('/admin/config'));
  }

  sessions(): Promise<SessionInfo[]> {
    return firstValueFrom(this.http.get<{ sessions: SessionInfo[] }>('/auth/sessions')).then((r) => r.sessions);
  }
  revokeSession(id: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`/auth/sessions/${encodeURIComponent(id)}`));
  }
  changePassword(currentPassword: string, newPassword: string): Promise<unknown> {
    return firstValueFrom(this.http.post('/auth/password', { currentPassword, newPassword }));
  }
}
