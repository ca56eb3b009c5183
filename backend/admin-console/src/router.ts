import { createRouter, createWebHistory } from 'vue-router';
import { whenSignedOut } from './api/client';
import { hasRole, loadSession, session } from './session';
import ConsoleLayout from './layout/ConsoleLayout.vue';
import LoginPage from './pages/LoginPage.vue';

/** The menu: each page for the roles that may use it (none: every member of staff). */
export const pages = [
  { path: '/', title: '工作台' },
  { path: '/applications', title: '入会审核' },
  { path: '/members', title: '会员' },
  { path: '/patrols', title: '巡防' },
  { path: '/reports', title: '网格事件' },
  { path: '/publicity', title: '宣传' },
  { path: '/points', title: '积分' },
  { path: '/insurance', title: '保险' },
  { path: '/rankings', title: '排名' },
  { path: '/rewards', title: '积分兑换' },
  { path: '/events', title: '活动与计划' },
  { path: '/campaigns', title: '十大平安创建' },
  { path: '/settings', title: '设置' },
  { path: '/system', title: '系统' },
];

export const router = createRouter({
  history: createWebHistory('/admin/'),
  routes: [
    { path: '/login', component: LoginPage, meta: { title: '扫码登录', public: true } },
    {
      path: '/',
      component: ConsoleLayout,
      children: [
        { path: '', component: () => import('./pages/DashboardPage.vue'), meta: { title: '工作台' } },
        { path: 'applications', component: () => import('./pages/ApplicationsPage.vue'), meta: { title: '入会审核', roles: ['GridLeader', 'VillageAdmin', 'SubDistrictAdmin'] } },
        { path: 'members', component: () => import('./pages/MembersPage.vue'), meta: { title: '会员' } },
        { path: 'members/:id(\\d+)', component: () => import('./pages/MemberPage.vue'), meta: { title: '会员详情' } },
        { path: 'patrols', component: () => import('./pages/PatrolsPage.vue'), meta: { title: '巡防', roles: ['GridLeader', 'VillageAdmin', 'SubDistrictAdmin'] } },
        { path: 'reports', component: () => import('./pages/ReportsPage.vue'), meta: { title: '网格事件', roles: ['GridLeader', 'VillageAdmin', 'SubDistrictAdmin'] } },
        { path: 'publicity', component: () => import('./pages/PublicityPage.vue'), meta: { title: '宣传', roles: ['GridLeader', 'VillageAdmin', 'SubDistrictAdmin'] } },
        { path: 'points', component: () => import('./pages/PointsPage.vue'), meta: { title: '积分', roles: ['VillageAdmin', 'SubDistrictAdmin'] } },
        { path: 'events', component: () => import('./pages/EventsPage.vue'), meta: { title: '活动与计划' } },
        { path: 'insurance', component: () => import('./pages/InsurancePage.vue'), meta: { title: '保险', roles: ['VillageAdmin', 'SubDistrictAdmin'] } },
        { path: 'rewards', component: () => import('./pages/RewardsPage.vue'), meta: { title: '积分兑换', roles: ['GridLeader', 'VillageAdmin', 'SubDistrictAdmin'] } },
        { path: 'rankings', component: () => import('./pages/RankingsPage.vue'), meta: { title: '排名', roles: ['GridLeader', 'VillageAdmin', 'SubDistrictAdmin'] } },
        { path: 'campaigns', component: () => import('./pages/CampaignsPage.vue'), meta: { title: '十大平安创建' } },
        { path: 'settings', component: () => import('./pages/SettingsPage.vue'), meta: { title: '设置', roles: ['VillageAdmin', 'SubDistrictAdmin'] } },
        { path: 'system', component: () => import('./pages/SystemPage.vue'), meta: { title: '系统', roles: ['VillageAdmin', 'SubDistrictAdmin'] } },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  if (!session.checked) {
    await loadSession();
  }
  if (!to.meta.public && !session.current) {
    return { path: '/login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  }
  const roles = to.meta.roles as string[] | undefined;
  if (roles && !hasRole(...roles)) {
    return { path: '/', query: { denied: to.path } };
  }
  return true;
});

router.afterEach((to) => {
  document.title = `${(to.meta.title as string) ?? '管理后台'} - 平安创建协会管理后台`;
});

whenSignedOut(() => {
  session.current = null;
  if (router.currentRoute.value.path !== '/login') {
    void router.push({ path: '/login', query: { redirect: router.currentRoute.value.fullPath } });
  }
});
