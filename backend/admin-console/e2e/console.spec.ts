import { expect, test } from '@playwright/test';
import { confirmTicket, miniProgramToken, screenshots, field, signIn, watchForErrors } from './helpers';

test('扫码登录后看到工作台的待办和图表', async ({ page, request }) => {
  const errors = watchForErrors(page);
  await page.goto('/admin/');
  await expect(page.getByTestId('qr')).toBeVisible();
  await page.screenshot({ path: `${screenshots}/login.png` });
  await signIn(page, request, 'admin');

  await expect(page.getByTestId('todos')).toContainText('待');
  for (const chart of ['chart-coverage', 'chart-monthly', 'chart-reports', 'chart-insurance']) {
    const canvas = page.getByTestId(chart).locator('canvas').first();
    await expect(canvas).toBeVisible();
    // A drawn chart has pixels of more than one colour.
    const colours = await canvas.evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length && seen.size < 10; i += 4 * 97) {
        seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
      return seen.size;
    });
    expect(colours, chart).toBeGreaterThan(2);
  }
  await expect(page.getByTestId('below-target')).toBeVisible();
  await page.screenshot({ path: `${screenshots}/dashboard.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('从列表中批量通过入会申请', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '入会审核', exact: true }).click();
  const table = page.getByTestId('applications');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  const before = await table.locator('tbody tr').count();
  await table.locator('tbody tr').first().locator('.el-checkbox').click();
  await page.screenshot({ path: `${screenshots}/applications.png`, fullPage: true });
  await page.getByTestId('approve').click();
  await expect(page.getByTestId('message')).toContainText('已通过 1 条');
  await expect(table.locator('tbody tr')).toHaveCount(before - 1);
});

test('导出会员名单并打开', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '会员', exact: true }).click();
  await expect(page.getByTestId('members').locator('tbody tr').first()).toBeVisible();
  await page.screenshot({ path: `${screenshots}/members.png`, fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  const path = await download.path();
  const bytes = (await import('node:fs')).readFileSync(path);
  // An .xlsx is a zip: it opens with the local-file signature PK\x03\x04.
  expect(bytes.subarray(0, 4).toString('hex')).toBe('504b0304');
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
});

test('网格长只看到自己网格的会员', async ({ page, request }) => {
  await signIn(page, request, 'leader');
  await page.getByRole('menuitem', { name: '会员', exact: true }).click();
  const rows = page.getByTestId('members').locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const grids = new Set(await rows.locator('td:nth-child(3)').allInnerTexts());
  expect([...grids]).toEqual(['大托村第1网格']);
});

test('十大平安创建页面列出验收阶段的申报', async ({ page, request }) => {
  await signIn(page, request, 'district');
  await page.getByRole('menuitem', { name: '十大平安创建', exact: true }).click();
  await expect(page.getByTestId('campaign-applications').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('campaign-applications')).toContainText('平安网格');
  await page.screenshot({ path: `${screenshots}/campaigns.png`, fullPage: true });
  // The district's office decides no membership: the page is not in its menu, and its address leads back.
  await expect(page.getByRole('menuitem', { name: '入会审核', exact: true })).toHaveCount(0);
  await page.goto('/admin/applications');
  await expect(page.getByTestId('denied')).toBeVisible();
});

test('退出登录后会话结束', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('qr')).toBeVisible();
  const session = await page.request.get('/admin/api/console/session');
  expect(session.status()).toBe(401);
  await page.goto('/admin/members');
  await expect(page.getByTestId('qr')).toBeVisible();
});

test('居民不能确认登录，过期的二维码被拒绝', async ({ page, request }) => {
  await page.goto('/admin/');
  const ticket = (await page.getByTestId('qr').getAttribute('data-ticket'))!;
  const byResident = await confirmTicket(request, await miniProgramToken(request, 'resident-console'), ticket);
  expect(byResident.status()).toBe(403);
  expect((await byResident.json()).detail).toContain('管理员');
  const unknown = await confirmTicket(request, await miniProgramToken(request, 'admin'), 'lt_unknown');
  expect(unknown.status()).toBe(404);
  // scripts/console-test.sh gives tickets 15 seconds: the page's poll learns it has expired and offers a new one.
  await expect(page.getByTestId('expired')).toBeVisible({ timeout: 30_000 });
  const late = await confirmTicket(request, await miniProgramToken(request, 'admin'), ticket);
  expect(late.status()).toBe(410);
  expect((await late.json()).detail).toContain('过期');
  await page.screenshot({ path: `${screenshots}/login-expired.png` });
  await page.getByTestId('refresh').click();
  await expect(page.getByTestId('status')).toContainText('等待扫码确认');
  expect(await page.getByTestId('qr').getAttribute('data-ticket')).not.toBe(ticket);
});

test('各页面在管理员的范围内打开', async ({ page, request }) => {
  const errors = watchForErrors(page);
  await signIn(page, request, 'admin');
  for (const [menu, testid, shot, hasRows] of [
    ['巡防', 'patrols', 'patrols', true],
    ['网格事件', 'reports', 'reports', true],
    ['宣传', 'publicity', 'publicity', true],
    ['积分', 'rules', 'points', true],
    ['保险', 'gaps', 'insurance', true],
    ['排名', 'ranking', 'rankings', true],
    ['活动与计划', 'events', 'events', true],
    ['系统', 'audit', 'system', true],
  ] as const) {
    await page.getByRole('menuitem', { name: menu, exact: true }).click();
    await expect(page.getByTestId(testid)).toBeVisible();
    if (hasRows) {
      await expect(page.getByTestId(testid).locator('tbody tr').first()).toBeVisible();
    }
    await page.screenshot({ path: `${screenshots}/${shot}.png`, fullPage: true });
  }
  await expect(page.getByTestId('org-tree')).toContainText('大托村');
  await page.getByRole('menuitem', { name: '会员', exact: true }).click();
  await page.getByTestId('members').locator('tbody tr').first().getByRole('link').click();
  await expect(page.getByTestId('member')).toBeVisible();
  await page.getByTestId('reveal-id').click();
  await page.getByRole('textbox').last().fill('核对保险名单信息');
  await page.getByRole('button', { name: '查看', exact: true }).click();
  await expect(page.getByTestId('member')).toContainText(/\d{17}[\dX]/);
  await expect(page.locator('.el-message-box')).toBeHidden();
  await page.screenshot({ path: `${screenshots}/member.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('从列表中确认巡防', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '巡防', exact: true }).click();
  const rows = page.getByTestId('patrols').locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  await rows.first().getByRole('button', { name: '确认' }).click();
  await expect(page.getByTestId('message')).toContainText('已确认');
});

test('用网址打开范围外的会员，看到中文提示', async ({ page, request }) => {
  const admin = await miniProgramToken(request, 'admin');
  const all = await (await request.get('/api/members?pageSize=100', { headers: { Authorization: `Bearer ${admin}` } })).json();
  const elsewhere = all.items.find((m: { gridName: string }) => m.gridName !== '大托村第1网格');
  await signIn(page, request, 'leader');
  await page.goto(`/admin/members/${elsewhere.id}`);
  await expect(page.getByTestId('error')).toContainText('找不到');
  await expect(page.getByTestId('member')).toHaveCount(0);
});

test('没有 CSRF 令牌的写请求被拒绝', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  const response = await page.request.post('/admin/api/console/sign-out');
  expect(response.status()).toBe(401);
  expect((await response.json()).code).toBe('auth.csrf.invalid');
  expect((await response.json()).detail).toContain('刷新');
  const still = await page.request.get('/admin/api/console/session');
  expect(still.status()).toBe(200);
});

test('把未参保会员批改加入保单', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '保险', exact: true }).click();
  const rows = page.getByTestId('gaps').locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const before = await rows.count();
  await rows.first().locator('.el-checkbox').click();
  await page.getByTestId('endorse').click();
  await expect(page.getByTestId('message')).toContainText('已将 1 名会员加入保单');
  await expect(page.getByTestId('insurance-notices').locator('tbody tr').first()).toBeVisible();
  await expect(rows).toHaveCount(before - 1);
});

test('在会员详情里冲正一笔积分', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '会员', exact: true }).click();
  await page.getByTestId('members').locator('tbody tr').nth(1).getByRole('link').click();
  await expect(page.getByTestId('member')).toBeVisible();
  await expect(page.getByTestId('member-patrols')).toBeVisible();
  const reverse = page.getByRole('button', { name: '冲正' }).first();
  await expect(reverse).toBeVisible();
  await reverse.click();
  await page.getByRole('textbox').last().fill('重复录入，予以冲正');
  await page.getByRole('button', { name: '冲正', exact: true }).last().click();
  await expect(page.getByRole('cell', { name: /^冲正/ }).first()).toBeVisible();
});

test('在系统页给网格授予网格长并撤销', async ({ page, request }) => {
  const newcomer = await request.post('/api/auth/sign-in', { data: { code: `console-newcomer-${Date.now()}#1` } });
  const userId = (await newcomer.json()).userId as number;
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '系统', exact: true }).click();
  await page.getByTestId('grant-unit').click();
  await page.getByRole('option', { name: '桂井村第2网格' }).click();
  await page.getByTestId('grant-user').locator('input').fill(String(userId));
  await page.getByTestId('grant').click();
  await expect(page.getByTestId('role-message')).toContainText(`已授予用户 ${userId} 网格长`);
  const row = page.getByTestId('roles').locator('tbody tr').filter({ has: page.getByRole('cell', { name: String(userId), exact: true }) });
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: '撤销' }).click();
  await expect(page.getByTestId('role-message')).toContainText(`已撤销用户 ${userId}`);
  await expect(row).toHaveCount(0);
});

test('新增一个积分规则版本', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '积分', exact: true }).click();
  await expect(page.getByTestId('rules').locator('tbody tr').first()).toBeVisible();
  const before = await page.getByTestId('rules').locator('tbody tr').count();
  await page.getByTestId('rule-points').locator('input').fill('6');
  await page.getByTestId('add-rule').click();
  await expect(page.getByTestId('message')).toContainText('完成巡防');
  await expect(page.getByTestId('rules').locator('tbody tr')).toHaveCount(before + 1);
});

test('键盘可以走遍菜单并打开页面', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  const reached = new Set<string>();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? ''));
  }
  for (const name of ['工作台', '会员', '巡防', '系统', '退出登录']) {
    expect([...reached], name).toContain(name);
  }
  await page.getByRole('menuitem', { name: '会员', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('members')).toBeVisible();
});

test('新建活动、修改后取消', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '活动与计划', exact: true }).click();
  await page.getByTestId('new-event').click();
  const title = `防汛应急演练 ${Date.now() % 100000}`;
  await field(page, 'event-title').fill(title);
  await field(page, 'event-place').fill('大托铺街道文化广场');
  await page.getByTestId('event-save').click();
  await expect(page.getByTestId('message')).toContainText(`已发布“${title}”`);
  const row = page.getByTestId('events').locator('tbody tr').filter({ hasText: title });
  await expect(row).toContainText('0 / 20');
  await expect(row).toContainText('未开始');
  await expect(row.getByRole('button', { name: '签到码' })).toHaveCount(0);
  await row.getByRole('button', { name: '修改' }).click();
  await field(page, 'event-capacity').fill('40');
  await page.getByTestId('event-save').click();
  await expect(row).toContainText('0 / 40');
  await row.getByRole('button', { name: '取消' }).click();
  await page.getByRole('textbox').last().fill('暴雨预警，改期举行');
  await page.getByRole('button', { name: '取消活动' }).click();
  await expect(page.getByTestId('message')).toContainText(`已取消“${title}”`);
  await expect(row).toContainText('已取消');
});

test('进行中的活动显示签到码，确认出勤', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '活动与计划', exact: true }).click();
  const row = page.getByTestId('events').locator('tbody tr').filter({ hasText: '夜间治安联合巡防' });
  await row.getByRole('button', { name: '签到码' }).click();
  await expect(page.getByTestId('check-in-code')).toBeVisible();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${screenshots}/events-check-in-code.png` });
  await page.keyboard.press('Escape');
  await row.getByRole('button', { name: '名单' }).click();
  await expect(page.getByTestId('signups').locator('tbody tr')).toHaveCount(12);
  const firstMark = page.getByTestId('signups').locator('[data-testid^="mark-"]').first();
  await firstMark.click();
  await page.getByRole('option', { name: '未参加' }).click();
  await page.getByTestId('confirm-attendance').click();
  await page.getByRole('button', { name: '确认', exact: true }).click();
  await expect(page.getByTestId('signups-message')).toContainText('出勤 5 人，缺席 7 人');
});

test('新建下季度工作安排、添加事项并发布', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '活动与计划', exact: true }).click();
  await page.getByTestId('new-plan').click();
  const title = `平安创建工作安排 ${Date.now() % 100000}`;
  await field(page, 'plan-title').fill(title);
  await page.getByTestId('plan-save').click();
  await expect(page.getByTestId('plans-message')).toContainText('草稿');
  const row = page.getByTestId('plans').locator('tbody tr').filter({ hasText: title });
  await row.getByRole('button', { name: '添加事项' }).click();
  const china = new Date(Date.now() + 8 * 3600_000);
  const next = new Date(Date.UTC(china.getUTCFullYear(), Math.floor(china.getUTCMonth() / 3) * 3 + 3, 15));
  await field(page, 'item-title').fill('春节前消防安全大检查');
  await field(page, 'item-owner').fill('综治办');
  await field(page, 'item-due').fill(next.toISOString().slice(0, 10));
  await field(page, 'item-due').press('Enter');
  await page.getByTestId('item-save').click();
  await expect(page.getByTestId('plans-message')).toContainText('已为');
  await expect(row.getByRole('cell', { name: '1', exact: true })).toBeVisible();
  await row.getByRole('button', { name: '发布' }).click();
  await expect(page.getByTestId('plans-message')).toContainText(`已发布“${title}”`);
  await expect(row).toContainText('已发布');
});

test('在申报详情里记录指导、填审核表、申请验收并验收通过', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '十大平安创建', exact: true }).click();
  await expect(page.getByTestId('campaign-lists')).toContainText('已报送');
  const first = page.getByTestId('campaign-applications').locator('tbody tr').first();
  await first.getByRole('button').first().click();
  await expect(page.getByTestId('evidence').locator('tbody tr').first()).toBeVisible();
  const guided = await page.getByTestId('guidance').locator('tbody tr').count();
  await field(page, 'guidance-topic').fill('检查巡防签到台账');
  await page.getByTestId('add-guidance').click();
  await expect(page.getByTestId('application-message')).toContainText('已记录指导');
  await expect(page.getByTestId('guidance').locator('tbody tr')).toHaveCount(guided + 1);
  await field(page, 'review-progress').fill('全年组织巡防、宣传和矛盾纠纷排查，群众安全感明显提升。');
  await page.getByTestId('save-review').click();
  await expect(page.getByTestId('application-message')).toContainText('审核表已保存');
  await page.screenshot({ path: `${screenshots}/campaign-application.png` });
  await page.getByTestId('send-review').click();
  await page.getByRole('button', { name: '申请验收', exact: true }).last().click();
  await expect(page.getByTestId('application-message')).toContainText('已申请验收');
  await page.getByTestId('accept').click();
  await page.getByRole('button', { name: '确定' }).last().click();
  await expect(page.getByTestId('application-message')).toContainText('验收通过');
  await expect(first).toContainText('初验通过');
});

test('导出单位积分明细和会员积分明细', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '积分', exact: true }).click();
  const [sheet] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-points').click()]);
  expect((await import('node:fs')).readFileSync(await sheet.path()).subarray(0, 4).toString('hex')).toBe('504b0304');
  await expect(page.getByTestId('message')).toContainText('已导出');
  await page.getByRole('menuitem', { name: '会员', exact: true }).click();
  await page.getByTestId('members').locator('tbody tr').nth(2).getByRole('link').click();
  const [statement] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-statement').click()]);
  expect(statement.suggestedFilename()).toMatch(/\.xlsx$/);
  expect((await import('node:fs')).readFileSync(await statement.path()).subarray(0, 4).toString('hex')).toBe('504b0304');
});

test('网格事件指派、办结并结案', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '网格事件', exact: true }).click();
  const table = page.getByTestId('reports');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  const all = await table.locator('tbody tr').count();
  await page.getByTestId('overdue-only').click();
  // Only the open reports past their deadline remain, every one of them still open.
  await expect(table.locator('tbody tr')).not.toHaveCount(all);
  await expect(table.locator('tbody tr').first()).toBeVisible();
  for (const done of ['已办结', '已关闭', '未受理']) {
    await expect(table.locator('tbody tr').filter({ hasText: done })).toHaveCount(0);
  }
  await page.getByTestId('overdue-only').click();
  await expect(table.locator('tbody tr')).toHaveCount(all);
  await table.getByRole('button', { name: '指派' }).first().click();
  await page.getByTestId('assignee').click();
  await page.getByRole('option').first().click();
  await page.getByTestId('assign').click();
  await expect(page.getByTestId('message')).toContainText('已指派');
  await table.getByRole('button', { name: '办结' }).first().click();
  await page.getByRole('textbox').last().fill('已协调物业清理楼道杂物');
  await page.getByRole('button', { name: '确定' }).last().click();
  await expect(page.getByTestId('message')).toContainText('已办结');
  await table.getByRole('button', { name: '结案' }).first().click();
  await expect(page.getByTestId('message')).toContainText('已结案');
});

test('暂停会员后恢复，调换网格，履历记下理由', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '会员', exact: true }).click();
  await page.getByTestId('members').locator('tbody tr').nth(5).getByRole('link').click();
  const actions = page.getByTestId('member-actions');
  await actions.getByRole('button', { name: '暂停会员' }).click();
  await page.getByRole('textbox').last().fill('连续三个月未参加巡防');
  await page.getByRole('button', { name: '确定' }).last().click();
  await expect(page.getByTestId('notice')).toContainText('已暂停会员');
  await expect(page.getByTestId('member')).toContainText('已暂停');
  await expect(page.getByText('连续三个月未参加巡防')).toBeVisible();
  await actions.getByRole('button', { name: '恢复会员' }).click();
  await page.getByRole('textbox').last().fill('本人申请恢复');
  await page.getByRole('button', { name: '确定' }).last().click();
  await expect(page.getByTestId('member')).toContainText('正常');
  await page.getByTestId('move-grid').click();
  await page.getByRole('option').first().click();
  await actions.getByRole('button', { name: '调换网格' }).click();
  await page.getByRole('textbox').last().fill('搬家到新小区');
  await page.getByRole('button', { name: '确定' }).last().click();
  await expect(page.getByTestId('notice')).toContainText('已调换网格');
});

test('设置覆盖率目标、招募目标和单位排名权重', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '设置', exact: true }).click();
  await field(page, 'coverage-target').fill('25');
  await page.getByTestId('save-coverage').click();
  await expect(page.getByTestId('message')).toContainText('覆盖率目标已设为 25%');
  const first = page.getByTestId('recruitment').locator('tbody tr').first();
  await first.locator('input').fill('120');
  await first.getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('message')).toContainText('招募目标已设为 120 人');
  await field(page, 'weight-PointsPerMember').fill('0');
  await field(page, 'weight-PointsPerMember').blur();
  await page.getByTestId('save-weights').click();
  await expect(page.getByTestId('message')).toContainText('权重');
  await expect(page.getByTestId('message')).toContainText('100');
  await field(page, 'weight-PointsPerMember').fill('20');
  await field(page, 'weight-PointsPerMember').blur();
  await page.getByTestId('save-weights').click();
  await expect(page.getByTestId('message')).toContainText('单位排名权重已保存');
  await page.screenshot({ path: `${screenshots}/settings.png`, fullPage: true });
  await field(page, 'coverage-target').fill('20');
  await page.getByTestId('save-coverage').click();
  await expect(page.getByTestId('message')).toContainText('覆盖率目标已设为 20%');
  await page.getByTestId('recompute').click();
  await expect(page.getByTestId('message')).toContainText('排名已重新计算');
});

test('新增兑换物品、调整库存，发放和取消兑换', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '积分兑换', exact: true }).click();
  await page.getByTestId('new-reward').click();
  const name = `反诈宣传环保袋${Date.now() % 10000}`;
  await field(page, 'reward-name').fill(name);
  await field(page, 'reward-points').fill('15');
  await page.getByTestId('reward-save').click();
  await expect(page.getByTestId('message')).toContainText(`已保存“${name}”`);
  const item = page.getByTestId('rewards').locator('tbody tr').filter({ hasText: name });
  await expect(item).toContainText('15');
  await item.getByRole('button', { name: '调整库存' }).click();
  await page.getByRole('textbox').last().fill('40');
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('textbox').last().fill('街道新到一批');
  await page.getByRole('button', { name: '确定' }).last().click();
  await expect(page.getByTestId('message')).toContainText('已调整');
  await expect(item.locator('td').nth(2)).toHaveText('50');
  const pending = page.getByTestId('redemptions').locator('tbody tr').filter({ hasText: '待领取' });
  const before = await pending.count();
  expect(before).toBeGreaterThan(1);
  await pending.first().getByRole('button', { name: '已发放' }).click();
  await page.getByRole('button', { name: '确定' }).last().click();
  await expect(page.getByTestId('message')).toContainText('交给');
  await pending.first().getByRole('button', { name: '取消并退分' }).click();
  await page.getByRole('button', { name: '确定' }).last().click();
  await expect(page.getByTestId('message')).toContainText('分退回');
  await expect(pending).toHaveCount(before - 2);
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${screenshots}/rewards.png`, fullPage: true });
});

test('为会员开具服务证明、下载 PDF 并撤销', async ({ page, request }) => {
  await signIn(page, request, 'admin');
  await page.getByRole('menuitem', { name: '会员', exact: true }).click();
  await page.getByTestId('members').locator('tbody tr').nth(3).getByRole('link').click();
  const card = page.getByTestId('certificates');
  await page.getByTestId('issue-certificate').click();
  await expect(page.getByTestId('certificate-message')).toContainText('已开具');
  const row = card.locator('tbody tr').first();
  await expect(row).toContainText('有效');
  const [pdf] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'PDF' }).click()]);
  expect((await import('node:fs')).readFileSync(await pdf.path()).subarray(0, 5).toString()).toBe('%PDF-');
  await row.getByRole('button', { name: '撤销' }).click();
  await page.getByRole('textbox').last().fill('服务记录有误，重新开具');
  await page.getByRole('button', { name: '撤销', exact: true }).last().click();
  await expect(row).toContainText('已撤销');
});

// Last in the file: it starts next year's campaign, which the district's page then opens first.
test('区平安办调整名额和阶段，新建下一年度并改标准', async ({ page, request }) => {
  await signIn(page, request, 'district');
  await page.getByRole('menuitem', { name: '十大平安创建', exact: true }).click();
  const manage = page.getByTestId('campaign-manage');
  await expect(manage).toBeVisible();
  await manage.getByRole('tab', { name: '阶段' }).click();
  await page.getByTestId('save-phases').click();
  await expect(page.getByTestId('manage-message')).toContainText('阶段已保存');
  await manage.getByRole('tab', { name: '名额' }).click();
  const quota = page.getByTestId('quotas').locator('tbody tr').first().locator('input');
  const before = Number(await quota.inputValue());
  await quota.fill(String(before + 1));
  await quota.blur();
  await page.getByTestId('save-quotas').click();
  await expect(page.getByTestId('manage-message')).toContainText('名额已保存');
  await manage.getByRole('tab', { name: '创建标准' }).click();
  await page.getByTestId('save-standards').click();
  // Nomination has opened this year: the standards stand as they were, and the page says why in Chinese.
  await expect(page.getByTestId('manage-message')).toContainText(/[\u4e00-\u9fa5]/);
  await expect(page.getByTestId('manage-message')).not.toContainText('已保存');
  await page.screenshot({ path: `${screenshots}/campaign-manage.png`, fullPage: true });
  await page.getByTestId('new-campaign').click();
  await expect(page.getByTestId('campaign')).toContainText(String(new Date().getFullYear() + 1));
  await manage.getByRole('tab', { name: '创建标准' }).click();
  await field(page, 'standards').fill('有健全的平安创建组织机构。\n红袖章会员占住户比例达到20%以上。');
  await page.getByTestId('save-standards').click();
  await expect(page.getByTestId('manage-message')).toContainText('的标准已保存');
});
