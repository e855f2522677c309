// Admin jobs through the gateway: a route that starts one answers 202 with the job and its
// Location, and GET /admin/jobs/{jobId} tells how it is going.
import type { AdminJobView } from '@member-system/contracts';
import { waitFor } from '@member-system/shared/testing';
import { api } from './api';
import type { ApiOptions, ApiResponse } from './api';

/** Starts a job (`POST` to `path`); fails unless the gateway answered 202 with the job and its Location. */
export async function startJob(
  path: string,
  options: ApiOptions = {},
): Promise<{ job: AdminJobView; response: ApiResponse<AdminJobView> }> {
  const response = await api<AdminJobView>('POST', path, options);
  if (response.status !== 202) {
    throw new Error(`POST ${path} answered ${response.status}, not 202: ${response.text}`);
  }
  const location = response.headers.get('location');
  if (location !== `/api/v1/admin/jobs/${response.body.id}`) {
    throw new Error(`POST ${path} answered job ${response.body.id} with Location ${location}`);
  }
  return { job: response.body, response };
}

/** The job as it stands now. */
export async function readJob(
  jobId: string,
  options: ApiOptions = {},
): Promise<ApiResponse<AdminJobView>> {
  return api<AdminJobView>('GET', `/api/v1/admin/jobs/${jobId}`, options);
}

/**
 * Polls the job until it has finished (succeeded or failed), at most `timeoutMs`; a job still
 * queued or running then fails the test with where it stood.
 */
export async function finishedJob(
  jobId: string,
  options: ApiOptions = {},
  timeoutMs = 30_000,
): Promise<AdminJobView> {
  let last = '';
  try {
    return await waitFor(
      async () => {
        const response = await readJob(jobId, options);
        if (response.status !== 200) {
          throw new Error(`GET job ${jobId} answered ${response.status}: ${response.text}`);
        }
        last = response.text;
        const { status } = response.body;
        return status === 'succeeded' || status === 'failed' ? response.body : false;
      },
      { timeoutMs, intervalMs: 100, what: `job ${jobId} to finish` },
    );
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; last seen ${last}`);
  }
}

/** Starts a job and waits until it has finished: the job as it ended. */
export async function runToEnd(
  path: string,
  options: ApiOptions = {},
  timeoutMs = 30_000,
): Promise<AdminJobView> {
  const { job } = await startJob(path, options);
  return finishedJob(job.id, { token: options.token, baseUrl: options.baseUrl }, timeoutMs);
}
