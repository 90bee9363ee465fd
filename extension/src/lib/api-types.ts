// Types of the Kindkans HTTP API, version 1 (/work/shared/API.md). Written by hand from the
// contract so the extension imports nothing from the server at run time.

export type Role = 'parent' | 'school' | 'coordinator' | 'admin';

export interface Organisation {
  code: string;
  name: string;
  label: string;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string;
  role: Role;
  organisation: { code: string; name: string };
}

export interface LoginRequest {
  organisation: string;
  username: string;
  password: string;
  code: string;
}

export interface LoginResponse {
  token: string;
  expiresAt: string;
  idleTimeoutSeconds: number;
  user: User;
}

export interface SessionInfo {
  user: User;
  expiresAt: string;
  idleExpiresAt: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface NewsItem {
  id: string;
  title: string;
  body: string;
  publishedAt: string;
  scope: 'organisation' | 'general';
}

export interface School {
  brin: string;
  name: string;
}

export interface DossierSummary {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  school: School;
}

export interface HulpvraagSummary {
  id: string;
  date: string;
  title: string;
  status: string;
  attachmentCount: number;
}

export interface Attachment {
  id: string;
  hulpvraagId: string | null;
  entryId?: string | null;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: string;
}

export interface Hulpvraag {
  id: string;
  dossierId: string;
  date: string;
  title: string;
  status: string;
  description: string | null;
  coordinator: { id: string; displayName: string } | null;
  labels: string[];
  visibleToParents?: boolean;
  attachments: Attachment[];
}

export interface AccessLogEntry {
  at: string;
  actor: { displayName: string; role: Role };
  action: string;
  subject: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code: string;
  requestId?: string;
}
