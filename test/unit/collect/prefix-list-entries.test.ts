/**
 * Recorded responses for what the emulator cannot produce: pages chained by NextToken, and a list
 * that AWS refuses (the emulator answers an unknown id with no entries and never pages).
 */
import { GetManagedPrefixListEntriesCommand } from '@aws-sdk/client-ec2';
import { describeManagedPrefixListEntries } from '../../../lambda/collect/network';
import { awsError, recordedClients } from './recorded-clients';

describe('describeManagedPrefixListEntries', () => {
  it('follows every page of a list', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    mocks.ec2
      .on(GetManagedPrefixListEntriesCommand, { PrefixListId: 'pl-big' })
      .resolvesOnce({ Entries: [{ Cidr: '10.0.0.0/16' }, {}], NextToken: 'page-2' })
      .resolvesOnce({ Entries: [{ Cidr: '2001:db8::/32' }] });

    // Act
    const entries = await describeManagedPrefixListEntries(clients.ec2, ['pl-big']);

    // Assert
    expect(entries).toEqual({ 'pl-big': { ok: true, value: ['10.0.0.0/16', '2001:db8::/32'] } });
    expect(mocks.ec2.commandCalls(GetManagedPrefixListEntriesCommand)).toHaveLength(2);
  });

  it('keeps a refused list as its error without spoiling the others', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    mocks.ec2
      .on(GetManagedPrefixListEntriesCommand, { PrefixListId: 'pl-secret' })
      .rejects(awsError('UnauthorizedOperation', 'not authorized to perform ec2:GetManagedPrefixListEntries'))
      .on(GetManagedPrefixListEntriesCommand, { PrefixListId: 'pl-ok' })
      .resolves({ Entries: [{ Cidr: '10.0.0.0/8' }] });

    // Act
    const entries = await describeManagedPrefixListEntries(clients.ec2, ['pl-secret', 'pl-ok']);

    // Assert
    expect(entries['pl-ok']).toEqual({ ok: true, value: ['10.0.0.0/8'] });
    expect(entries['pl-secret']).toEqual({
      ok: false,
      error: {
        action: 'ec2:GetManagedPrefixListEntries',
        code: 'UnauthorizedOperation',
        message: 'not authorized to perform ec2:GetManagedPrefixListEntries',
      },
    });
  });

  it('reads each list once and at most five at a time', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    let inFlight = 0;
    let most = 0;
    mocks.ec2.on(GetManagedPrefixListEntriesCommand).callsFake(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { Entries: [] };
    });
    const ids = Array.from({ length: 12 }, (_, index) => `pl-${index}`);

    // Act
    const entries = await describeManagedPrefixListEntries(clients.ec2, [...ids, ...ids]);

    // Assert
    expect(Object.keys(entries)).toEqual(ids);
    expect(mocks.ec2.commandCalls(GetManagedPrefixListEntriesCommand)).toHaveLength(12);
    expect(most).toBe(5);
  });
});
