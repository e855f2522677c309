/** Message patterns on `event.rpc` (event-service runs member campaigns). */
export const CampaignRpc = {
  listOpen: 'event.campaigns.open',
  join: 'event.campaigns.join',
  myParticipations: 'event.participations.mine',
  list: 'event.admin.campaigns.list',
  get: 'event.admin.campaigns.get',
  create: 'event.admin.campaigns.create',
  update: 'event.admin.campaigns.update',
  publish: 'event.admin.campaigns.publish',
  close: 'event.admin.campaigns.close',
  complete: 'event.admin.participations.complete',
  distribute: 'event.admin.campaigns.distribute-rewards',
} as const;
